using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;
using Eval.Workflows.Domain;

namespace Eval.Workflows.Storage;

/// <summary>
/// One branch's ballot box of the members' appraisal: who may vote (the roster: member ids, or only their number), how
/// many voted, the count of each choice, and whether the box is sealed (its window closed and it was counted, or the
/// evaluation ended). <see cref="OpenedAt"/>, once known, is when a window that opens with the self-assessment opened:
/// kept here so that a ballot need not read the evaluation.
/// </summary>
public sealed record BallotBox(IReadOnlyList<string>? Members, int Eligible, int Ballots, IReadOnlyDictionary<string, int> Counts,
    bool Sealed)
{
    public static readonly BallotBox Empty = new(null, 0, 0, new Dictionary<string, int>(), false);

    public DateTimeOffset? OpenedAt { get; init; }
}

/// <summary>How a ballot went: counted, refused because this member voted already, or refused for the reason given.</summary>
public sealed record CastOutcome(bool Counted, bool VotedAlready, string? Refused);

/// <summary>
/// Table Appraisals: one partition per branch's appraisal (PartitionKey "{campaign}|{branch}"), holding the ballot box
/// (RowKey "box": how many may vote, the counts, sealed), the roster's member ids (RowKey "roster") and one row per
/// member who voted (RowKey "voter-" + a hash of the member's id, and nothing else). Who voted and what was voted are
/// stored apart with nothing that links them: a ballot is no row of its own, only one more in the box's counts, and
/// no row holding a member's id holds a choice. A ballot's two writes are one transaction (the voter's row added, the
/// box replaced on its ETag), so a ballot is counted exactly when its voter is recorded: a second ballot by the same
/// member fails on the voter's row, two at once on the box's ETag. A roster change rewrites the box too, so a ballot
/// checked against the roster it read cannot land after a change. docs/storage.md, "Appraisals", says what the service's
/// own timestamps show.
/// </summary>
public sealed class AppraisalStore(EvalTables tables)
{
    const string BoxKey = "box";
    const string RosterKey = "roster";
    const int Attempts = 20;

    TableClient Table => tables.Table(EvalTables.Appraisals);

    static string Partition(string campaignId, string branchId) => $"{campaignId}|{branchId}";

    /// <summary>The voter's row key: a hash of the member's id (a fixed length of safe characters, whatever the id holds).</summary>
    static string VoterKey(string memberId) => "voter-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(memberId)));

    /// <summary>The box with the roster's member ids (its two rows, in one query of the partition), or none yet.</summary>
    public async Task<(BallotBox Box, ETag ETag)?> GetBoxAsync(string campaignId, string branchId, CancellationToken ct = default)
    {
        string filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {Partition(campaignId, branchId)} and (RowKey eq {BoxKey} or RowKey eq {RosterKey})");
        TableEntity? box = null, roster = null;
        await foreach (TableEntity row in Table.QueryAsync<TableEntity>(filter, cancellationToken: ct))
            if (row.RowKey == BoxKey) box = row;
            else roster = row;
        if (box is null) return null;
        List<string>? members = roster is null ? null : Json.Read<List<string>>(TableText.Read(roster, "Members"));
        return (FromEntity(box) with { Members = members }, box.ETag);
    }

    /// <summary>Whether this member has voted in this branch's appraisal (a point read of their own row).</summary>
    public async Task<bool> HasVotedAsync(string campaignId, string branchId, string memberId, CancellationToken ct = default) =>
        (await Table.GetEntityIfExistsAsync<TableEntity>(Partition(campaignId, branchId), VoterKey(memberId), ["RowKey"],
            cancellationToken: ct)).HasValue;

    /// <summary>
    /// Sets the roster (member ids, or their number alone), unless <paramref name="refuse"/> says why not on the box as it
    /// is (ballots cast, sealed): that reason. ETag-conditional, so a ballot and a roster change never cross.
    /// </summary>
    public async Task<string?> SetRosterAsync(string campaignId, string branchId, IReadOnlyList<string>? members, int eligible,
        DateTimeOffset? openedAt, Func<BallotBox, string?> refuse, CancellationToken ct = default)
    {
        for (int attempt = 1; ; attempt++)
        {
            var found = await GetBoxAsync(campaignId, branchId, ct);
            BallotBox box = found?.Box ?? BallotBox.Empty;
            if (refuse(box) is { } reason) return reason;
            TableEntity counted = ToEntity(campaignId, branchId,
                box with { Members = members, Eligible = eligible, OpenedAt = box.OpenedAt ?? openedAt });
            var roster = new TableEntity(Partition(campaignId, branchId), RosterKey);
            TableText.Write(roster, "Members", members is null ? null : Json.Write(members));
            TableTransactionAction boxWrite = found is null
                ? new TableTransactionAction(TableTransactionActionType.Add, counted)
                : new TableTransactionAction(TableTransactionActionType.UpdateReplace, counted, found.Value.ETag);
            try
            {
                var rosterWrite = new TableTransactionAction(TableTransactionActionType.UpsertReplace, roster);
                await Table.SubmitTransactionAsync([rosterWrite, boxWrite], ct);
                return null;
            }
            catch (TableTransactionFailedException e) when (e.Status is 409 or 412 && attempt <= Attempts)
            {
                // A ballot or another roster got in first: decide again on the box as it is now.
            }
        }
    }

    /// <summary>
    /// Counts one ballot: the voter's row and the box's new counts in one transaction, unless <paramref name="refuse"/>
    /// says why not on the box as it is (no roster, not on it, sealed). A box changed meanwhile is read again. The box keeps
    /// <paramref name="openedAt"/> if it did not know it yet.
    /// </summary>
    public async Task<CastOutcome> CastAsync(string campaignId, string branchId, string memberId, string choice, DateTimeOffset? openedAt,
        Func<BallotBox?, string?> refuse, (BallotBox Box, ETag ETag)? seen = null, CancellationToken ct = default)
    {
        for (int attempt = 0; ; attempt++)
        {
            var found = attempt == 0 && seen is not null ? seen : await GetBoxAsync(campaignId, branchId, ct);
            if (refuse(found?.Box) is { } reason) return new CastOutcome(false, false, reason);
            var (box, etag) = found!.Value;
            var counts = new Dictionary<string, int>(box.Counts, StringComparer.Ordinal);
            counts[choice] = counts.GetValueOrDefault(choice) + 1;
            TableEntity counted = ToEntity(campaignId, branchId,
                box with { Ballots = box.Ballots + 1, Counts = counts, OpenedAt = box.OpenedAt ?? openedAt });
            var voter = new TableEntity(Partition(campaignId, branchId), VoterKey(memberId));
            try
            {
                await Table.SubmitTransactionAsync(
                [
                    new TableTransactionAction(TableTransactionActionType.Add, voter),
                    new TableTransactionAction(TableTransactionActionType.UpdateReplace, counted, etag),
                ], ct);
                return new CastOutcome(true, false, null);
            }
            catch (TableTransactionFailedException e) when (e.Status == 409)
            {
                return new CastOutcome(false, true, null);
            }
            catch (TableTransactionFailedException e) when (e.Status == 412 && attempt < Attempts)
            {
                // Another member's ballot (or a roster change) got in first: count again on the box as it is now.
            }
        }
    }

    /// <summary>
    /// Seals the box as its window closes and returns it as sealed: no ballot or roster change gets in after this write
    /// (each is conditional on the box's ETag). Counts of fewer than <see cref="AppraisalResult.MinBallotsShown"/> ballots
    /// are dropped here, unshown. A box sealed before (a redelivered call) is returned as it is.
    /// </summary>
    public async Task<BallotBox> SealAsync(string campaignId, string branchId, CancellationToken ct = default)
    {
        for (int attempt = 0; ; attempt++)
        {
            var found = await GetBoxAsync(campaignId, branchId, ct);
            if (found is { Box.Sealed: true }) return found.Value.Box;
            BallotBox box = found?.Box ?? BallotBox.Empty;
            BallotBox sealedBox = box with
            {
                Sealed = true,
                Counts = box.Ballots < AppraisalResult.MinBallotsShown ? new Dictionary<string, int>() : box.Counts,
            };
            TableEntity entity = ToEntity(campaignId, branchId, sealedBox);
            try
            {
                if (found is { } existing) await Table.UpdateEntityAsync(entity, existing.ETag, TableUpdateMode.Replace, ct);
                else await Table.AddEntityAsync(entity, ct);
                return sealedBox;
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412 && attempt < Attempts)
            {
            }
        }
    }

    /// <summary>
    /// The ballot boxes of a campaign's branches, each with its branch id: one query over the campaign's partitions (keys
    /// "{campaign}|…" sort together), for statistics. Only the box rows' counts are returned, never a voter's row.
    /// </summary>
    public async IAsyncEnumerable<(string BranchId, BallotBox Box)> BoxesAsync(string campaignId,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
    {
        // '}' sorts right after '|': the range holds exactly the partitions "{campaign}|{branch}".
        string filter = TableClient.CreateQueryFilter(
            $"PartitionKey gt {campaignId + "|"} and PartitionKey lt {campaignId + "}"} and RowKey eq {BoxKey}");
        var rows = Table.QueryAsync<TableEntity>(filter, maxPerPage: 1000,
            select: ["PartitionKey", "RowKey", "Eligible", "Ballots", "Sealed"], cancellationToken: ct);
        await foreach (TableEntity row in rows)
            yield return (row.PartitionKey[(campaignId.Length + 1)..], FromEntity(row));
    }

    static TableEntity ToEntity(string campaignId, string branchId, BallotBox box)
    {
        // The member ids stay in the roster's row: the box, which holds the choices, names nobody.
        return new TableEntity(Partition(campaignId, branchId), BoxKey)
        {
            ["Eligible"] = box.Eligible,
            ["Ballots"] = box.Ballots,
            ["Counts"] = Json.Write(box.Counts),
            ["Sealed"] = box.Sealed,
            ["OpenedAt"] = box.OpenedAt,
        };
    }

    static BallotBox FromEntity(TableEntity e) => new(
        null,
        e.GetInt32("Eligible") ?? 0,
        e.GetInt32("Ballots") ?? 0,
        Json.Read<Dictionary<string, int>>(e.GetString("Counts")) ?? [],
        e.GetBoolean("Sealed") ?? false)
    {
        OpenedAt = e.GetDateTimeOffset("OpenedAt"),
    };
}
