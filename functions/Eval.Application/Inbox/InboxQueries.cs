using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Serialization;
using Azure;
using Azure.Data.Tables;
using Eval.Workflows.Domain;
using Eval.Workflows.Schemas;
using Eval.Workflows.Storage;

namespace Eval.Application.Inbox;

/// <summary>One page of an inbox, soonest due first; pass continuationToken back for the next.</summary>
public sealed record InboxPage(IReadOnlyList<InboxEntry> Items, string? ContinuationToken);

/// <summary>
/// One thing waiting on the caller (待办): what it is, in which campaign, for which branch, waiting at which unit and in which
/// role, when it is due and how urgent that is (green; yellow when due within Inbox:YellowWithin; red once overdue), and where
/// to read it (<see cref="Link"/>) and act on it (<see cref="Action"/>, a POST).
/// </summary>
public sealed record InboxEntry(string Kind, string Role, string Status, DateTimeOffset Due, string CampaignId, string CampaignTitle,
    string BranchId, string BranchName, string Unit, string Link, string Action)
{
    /// <summary>The objection's or honour change's id.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Id { get; init; }

    /// <summary>True when it waits on this role only because the step is overdue (escalated).</summary>
    public bool Escalated { get; init; }
}

/// <summary>Inbox statuses: how urgent an item is now.</summary>
public static class InboxStatus
{
    public const string Green = "green";
    public const string Yellow = "yellow";
    public const string Red = "red";
}

/// <summary>
/// GET /api/inbox: everything waiting on the caller across campaigns, read from table Inbox, never from the evaluations.
/// For each of the caller's roles it reads the partitions where that role acts at, above or below the caller's unit
/// (<see cref="SourcesAsync"/>), merges them in due order and keeps what the caller may act on now. What it reads depends on
/// the caller's scope only: one partition for a branch's secretary, a township's reviewers or a county's scorers; the
/// city's and its counties' for the city's organization department.
/// </summary>
public sealed class InboxQueries(InboxReader reader, UnitStore units, AppraisalStore appraisals, InboxOptions options,
    TimeProvider clock)
{
    public const int MaxPageSize = 200;
    const int DefaultPageSize = 50;
    const int MaxSearchLength = 100;

    /// <summary>The depths of the units where each role's items wait (table Inbox's partitions).</summary>
    static readonly Dictionary<string, int[]> ActingDepths = new(StringComparer.Ordinal)
    {
        [Roles.BranchSecretary] = [4], [Roles.Member] = [4], [Roles.TownshipReviewer] = [3], [Roles.CountyScorer] = [2],
        // The county: escalated scores, honour changes, a county campaign's objections; the city: a city campaign's.
        [Roles.OrgDepartment] = [1, 2],
    };

    /// <summary>
    /// The depth at which a role's items are about single branches (evaluation steps), which a caller below that unit may
    /// take for the branches it covers: a county scorer assigned at a township still scores its branches.
    /// </summary>
    static readonly Dictionary<string, int> BranchStepDepth = new(StringComparer.Ordinal)
    {
        [Roles.TownshipReviewer] = 3, [Roles.CountyScorer] = 2, [Roles.OrgDepartment] = 2,
    };

    public async Task<Result<InboxPage>> ListAsync(Caller caller, string? campaign, string? unit, string? kind, string? dueBefore,
        string? overdue, string? q, string? pageSize, string? continuationToken, CancellationToken ct)
    {
        var errors = new List<FieldError>();
        if (campaign is not null && !CampaignAccess.IsCampaignId(campaign))
            errors.Add(new("/query/campaign", "not a campaign id"));
        if (unit is not null && !UnitPath.IsValid(unit)) errors.Add(new("/query/unit", "not a unit id"));
        if (kind is not null && !InboxKinds.All.Contains(kind, StringComparer.Ordinal))
            errors.Add(new("/query/kind", $"one of {string.Join(", ", InboxKinds.All)}"));
        DateTimeOffset? before = null;
        if (dueBefore is not null)
        {
            if (DateTimeOffset.TryParse(dueBefore, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out DateTimeOffset d)
                && dueBefore.Contains('T', StringComparison.Ordinal))
                before = d;
            else errors.Add(new("/query/dueBefore", "an ISO 8601 date and time with its offset, e.g. 2026-05-01T00:00:00Z"));
        }
        bool? late = overdue switch { null => null, "true" => true, "false" => false, _ => null };
        if (overdue is not null && late is null) errors.Add(new("/query/overdue", "true or false"));
        if (q is not null && (q.Length is 0 or > MaxSearchLength || CleanText.Problem(q, TextField.SingleLine) is { } _))
            errors.Add(new("/query/q", $"1 to {MaxSearchLength} characters of clean single-line text"));
        int size = DefaultPageSize;
        if (pageSize is not null && (!int.TryParse(pageSize, NumberStyles.None, CultureInfo.InvariantCulture, out size)
                || size is < 1 or > MaxPageSize))
            errors.Add(new("/query/pageSize", $"an integer from 1 to {MaxPageSize}"));
        if (errors.Count > 0) return Problem.Validation(errors);

        // The unit narrows the caller's scope; one above it is the caller's own.
        string within = unit is null || UnitPath.Covers(unit, caller.Unit) ? caller.Unit : unit;
        if (!caller.Covers(within)) return Problem.Forbidden($"Unit '{unit}' is outside your unit '{caller.Unit}'.");

        string listing = Fingerprint(caller, campaign, within, kind, dueBefore, overdue, q);
        string? after = null;
        if (continuationToken is not null && (after = PageToken.Open(continuationToken, "inbox", caller.Unit, listing)) is null)
            return Problem.Validation([new FieldError("/query/continuationToken", "not a token this API gave for this inbox and filter")]);

        DateTimeOffset now = clock.GetUtcNow();
        string? upper = before is { } b ? InboxKeys.Due(b) : null;
        if (late == true && (upper is null || string.CompareOrdinal(InboxKeys.Due(now), upper) < 0)) upper = InboxKeys.Due(now);
        string? lower = late == false ? InboxKeys.Due(now) : null;
        // An escalated item is shown from its deadline (its due time, so its key says when) or, flagged overdue, at once,
        // its deadline passed: those not shown yet are left to the service, not read and dropped here (a county scorer's
        // partition holds every waiting township review's copy).
        string? filter = TableClient.CreateQueryFilter($"(Escalated eq {false} or RowKey lt {InboxKeys.Due(now) + "}"})");
        if (campaign is not null) filter = And(filter, TableClient.CreateQueryFilter($"CampaignId eq {campaign}"));
        if (kind is not null) filter = And(filter, TableClient.CreateQueryFilter($"Kind eq {kind}"));

        try
        {
            List<IAsyncEnumerator<InboxItem>> sources = [];
            foreach (Source s in await SourcesAsync(caller, within, ct))
            {
                string? restrict = And(filter, s.Within is { } w ? InboxReader.Under("BranchId", w) : null);
                restrict = And(restrict, s.ScopeWithin is { } sw ? InboxReader.Under("Scope", sw) : null);
                var range = new InboxReader.Range(after, lower, upper, restrict);
                sources.Add((s.Below
                    ? reader.BelowAsync(s.Role, s.Unit, range, ct)
                    : reader.PartitionAsync(s.Role, s.Unit, range, Math.Min(1000, size + 1), ct)).GetAsyncEnumerator(ct));
            }
            try
            {
                var (items, more) = await MergeAsync(sources, item => AcceptAsync(caller, item, q, now, ct), size);
                TimeSpan yellow = options.Yellow;
                return new InboxPage([.. items.Select(i => Entry(i, now, yellow))],
                    more ? PageToken.Seal(items[^1].RowKey, "inbox", caller.Unit, listing) : null);
            }
            finally
            {
                foreach (IAsyncEnumerator<InboxItem> source in sources) await source.DisposeAsync();
            }
        }
        catch (RequestFailedException e) when (e.Status is 400)
        {
            return Problem.Validation([new FieldError("/query/continuationToken", "not a token this API gave")]);
        }
    }

    static string? And(string? a, string? b) => a is null ? b : b is null ? a : $"{a} and {b}";

    /// <summary>What a continuation token is bound to: the caller and every filter (hashed: ids may hold any character).</summary>
    static string Fingerprint(Caller caller, params string?[] filters) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
        string.Join('\u001f', [caller.Id, string.Join(',', caller.Roles), caller.Unit, .. filters.Select(f => f ?? "\u0000")]))));

    /// <summary>
    /// A partition to read (<see cref="Below"/>: every partition of the role below <see cref="Unit"/>), with what to keep
    /// of it: items of branches within <see cref="Within"/>, and items whose scope lies within <see cref="ScopeWithin"/>.
    /// </summary>
    sealed record Source(string Role, string Unit, bool Below = false, string? Within = null, string? ScopeWithin = null);

    /// <summary>
    /// The partitions the caller's roles act in, for the units at, above or below <paramref name="within"/> (the caller's
    /// unit or one below it): at the unit and its ancestors down from the caller's unit, the children when the role acts a
    /// level below (a county's townships, a city's counties: one read of the unit tree), and further down one range of
    /// partitions. Above the caller's unit only the partition where the role takes single branches' steps is read, and
    /// of it only the items of branches the caller covers.
    /// </summary>
    async Task<List<Source>> SourcesAsync(Caller caller, string within, CancellationToken ct)
    {
        var sources = new List<Source>();
        int callerDepth = UnitPath.Depth(caller.Unit), depth = UnitPath.Depth(within);
        foreach (string role in caller.Roles.Distinct(StringComparer.Ordinal))
        {
            if (!ActingDepths.TryGetValue(role, out int[]? depths)) continue;
            if (role == Roles.Member)
            {
                // A member acts only at its own branch: its ballots.
                if (callerDepth == 4 && within == caller.Unit) sources.Add(new Source(role, within));
                continue;
            }
            bool below = false;
            foreach (int p in depths)
            {
                if (p < callerDepth)
                {
                    if (BranchStepDepth.TryGetValue(role, out int stepDepth) && stepDepth == p)
                        sources.Add(new Source(role, UnitPath.AncestorAt(within, p), Within: within, ScopeWithin: caller.Unit));
                }
                else if (p <= depth)
                    sources.Add(new Source(role, UnitPath.AncestorAt(within, p), Within: p < depth ? within : null));
                else if (p == depth + 1 && p <= 3)
                    sources.AddRange((await units.ChildrenAsync(within, ct)).Select(child => new Source(role, child.Id)));
                else if (!below)
                {
                    below = true;
                    sources.Add(new Source(role, within, Below: true));
                }
            }
        }
        return sources;
    }

    /// <summary>
    /// Merges the sources (each in key order) into key order, keeping what <paramref name="accept"/> takes and an item
    /// that two roles of the caller both see once, until a page is full and one more item is known to follow.
    /// </summary>
    static async Task<(List<InboxItem> Items, bool More)> MergeAsync(List<IAsyncEnumerator<InboxItem>> sources,
        Func<InboxItem, Task<bool>> accept, int size)
    {
        var heads = new PriorityQueue<IAsyncEnumerator<InboxItem>, string>(StringComparer.Ordinal);
        bool[] started = await Task.WhenAll(sources.Select(s => s.MoveNextAsync().AsTask()));
        for (int i = 0; i < sources.Count; i++)
            if (started[i]) heads.Enqueue(sources[i], sources[i].Current.RowKey);
        var items = new List<InboxItem>();
        string? last = null;
        while (heads.TryDequeue(out IAsyncEnumerator<InboxItem>? source, out string? key))
        {
            InboxItem item = source.Current;
            if (await source.MoveNextAsync()) heads.Enqueue(source, source.Current.RowKey);
            if (key == last || !await accept(item)) continue;
            if (items.Count == size) return (items, true);
            items.Add(item);
            last = key;
        }
        return (items, false);
    }

    /// <summary>Whether the caller may act on the item now (the partitions read hold only what its roles and scope may).</summary>
    async Task<bool> AcceptAsync(Caller caller, InboxItem item, string? q, DateTimeOffset now, CancellationToken ct)
    {
        if (item.From is { } from && now < from) return false;
        if (item.Done.Contains(caller.Id, StringComparer.Ordinal)) return false;
        // Past its due time a change is decided only by the organization department of the campaign's unit (the API's rule),
        // even before the workflow has moved the item there.
        if (item.Kind == InboxKinds.HonourChange && !item.Escalated && now >= item.Due && !caller.Covers(item.CampaignUnit)) return false;
        if (q is not null && !item.BranchName.Contains(q, StringComparison.OrdinalIgnoreCase)
            && !item.BranchId.Contains(q, StringComparison.OrdinalIgnoreCase))
            return false;
        if (item.Kind == InboxKinds.AppraisalBallot) return now < item.Due && await MayVoteAsync(caller, item, ct);
        return true;
    }

    /// <summary>A ballot waits on a member on the branch's roster (or any member, for a roster of a number) who has not voted.</summary>
    async Task<bool> MayVoteAsync(Caller caller, InboxItem item, CancellationToken ct)
    {
        if (caller.Unit != item.BranchId) return false;
        if (await appraisals.GetBoxAsync(item.CampaignId, item.BranchId, ct) is not { Box: { Sealed: false } box }) return false;
        bool onRoster = box.Members is { } members ? members.Contains(caller.Id, StringComparer.Ordinal)
            : box.Eligible > 0 && box.Ballots < box.Eligible;
        return onRoster && !await appraisals.HasVotedAsync(item.CampaignId, item.BranchId, caller.Id, ct);
    }

    static InboxEntry Entry(InboxItem i, DateTimeOffset now, TimeSpan yellow) =>
        new(i.Kind, i.Role, now > i.Due ? InboxStatus.Red : i.Due - now <= yellow ? InboxStatus.Yellow : InboxStatus.Green, i.Due,
            i.CampaignId, i.CampaignTitle, i.BranchId, i.BranchName, i.Unit, i.Link, i.Action)
        {
            Id = i.Ref, Escalated = i.Escalated,
        };
}
