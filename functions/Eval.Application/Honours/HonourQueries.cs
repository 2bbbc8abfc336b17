using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Globalization;
using Azure;
using Eval.Workflows.Domain;
using Eval.Workflows.Schemas;
using Eval.Workflows.Storage;

namespace Eval.Application.Honours;

/// <summary>A title in the register as the roles in scope see it: its status as it stands now, and why.</summary>
public sealed record HonourView(string CampaignId, string CampaignTitle, int Year, string BranchId, string BranchName, string Level,
    string CurrentLevel, string Status, DateTimeOffset Since, DateTimeOffset ValidUntil, string? ReasonCategory, string? Reason,
    string? ChangeId)
{
    public static HonourView Of(Honour h, CampaignRecord campaign, DateTimeOffset now) =>
        new(h.CampaignId, campaign.Definition.Title, h.Year, h.BranchId, h.BranchName, h.Level, h.CurrentLevel, h.StatusAt(now),
            h.SinceAt(now), h.ValidUntil, h.ReasonCategory, h.Reason, h.ChangeId);
}

/// <summary>
/// A page of the register, newest campaign first and in branch order within one; pass continuationToken back for the next.
/// A page may hold fewer items than asked for while a token follows.
/// </summary>
public sealed record HonourPage(IReadOnlyList<HonourView> Items, string? ContinuationToken);

/// <summary>A branch's titles across campaigns, newest first.</summary>
public sealed record HonourHistory(string BranchId, IReadOnlyList<HonourView> Honours);

/// <summary>The campaign a public title comes from.</summary>
public sealed record PublicCampaign(string Id, string Title, int Year);

/// <summary>
/// The signed list a public title comes from: its version, where to fetch it, the SHA-256 of its bytes, the key that
/// signed it, and the branch's entry as the list holds it.
/// </summary>
public sealed record PublicStatement(int Version, string Url, string Sha256, string Kid, DateTimeOffset IssuedAt, string KeysUrl,
    StatementRating? Entry);

/// <summary>
/// A title as anyone may check it (the page a plaque's QR code opens): the branch, its level as published and now, the
/// status now with its date and reason category (never the description), and the signed list it comes from.
/// </summary>
public sealed record PublicHonourView(string BranchId, string BranchName, PublicCampaign Campaign, string Level, string LevelTitle,
    string CurrentLevel, string? CurrentLevelTitle, string Status, DateTimeOffset Since, DateTimeOffset ValidUntil, string? ReasonCategory,
    string Url, PublicStatement? Statement);

/// <summary>
/// Reading the honours register: a page of it for the roles in scope, a branch's history, and one title for anyone.
/// Every read here is bounded by the campaigns (a few a year), never by the branches: the list pages the table, the
/// history and the public page read single rows, and a signed list is parsed once per version and host.
/// </summary>
public sealed class HonourQueries(CampaignAccess access, CampaignStore campaigns, HonourStore honours, StatementStore statements,
    PublicAddress address, TimeProvider clock)
{
    public const int MaxPageSize = 200;
    const int DefaultPageSize = 50;
    const int MaxTableReadsPerPage = 8;
    const int MaxCachedStatements = 50;
    // Sealed into a token that starts a campaign from its first row (a table token is never empty).
    const string CampaignStart = "start";

    const string ReadersOnly = "The honours register is read by the working roles (not members) whose unit covers the unit asked for.";

    readonly ConcurrentDictionary<(string, int), ParsedStatement> parsed = new();

    /// <summary>
    /// A page of the titles at or under <paramref name="unit"/> (default: the caller's), of the published campaigns
    /// covering it or under it, optionally of one published level, one year and one status as it stands now. The
    /// query-string values come as sent; each one that does not fit is a 422 at its /query/ pointer.
    /// </summary>
    public async Task<Result<HonourPage>> ListAsync(Caller caller, string? unit, string? level, string? year, string? status,
        string? pageSize, string? continuationToken, CancellationToken ct)
    {
        if (!caller.IsWorking) return Problem.Forbidden(ReadersOnly);
        unit ??= caller.Unit;
        if (!UnitPath.IsValid(unit)) return Problem.Validation([new FieldError("/query/unit", "not a unit id")]);
        if (!caller.Covers(unit)) return Problem.Forbidden($"Unit '{unit}' is outside your unit '{caller.Unit}'.");
        var errors = new List<FieldError>();
        if (level is not null && !IsLevelId(level)) errors.Add(new("/query/level", "a level id, e.g. strongest"));
        int? wantedYear = null;
        if (year is not null)
        {
            if (int.TryParse(year, NumberStyles.None, CultureInfo.InvariantCulture, out int y) && y is >= 2000 and <= 2100) wantedYear = y;
            else errors.Add(new("/query/year", "a year from 2000 to 2100"));
        }
        if (status is not null && !HonourStatus.All.Contains(status))
            errors.Add(new("/query/status", $"one of {string.Join(", ", HonourStatus.All)}"));
        int size = DefaultPageSize;
        if (pageSize is not null && (!int.TryParse(pageSize, NumberStyles.None, CultureInfo.InvariantCulture, out size)
            || size is < 1 or > MaxPageSize))
            errors.Add(new("/query/pageSize", $"an integer from 1 to {MaxPageSize}"));
        if (errors.Count > 0) return Problem.Validation(errors);

        DateTimeOffset now = clock.GetUtcNow();
        List<CampaignRecord> listed = [.. (await PublishedOverAsync(unit, ct))
            .Where(c => wantedYear is null || StatementIssuer.YearOf(c) == wantedYear)];
        string scope = "honours:" + unit, filter = $"{level}|{wantedYear}|{status}";

        int index = 0;
        string? token = null;
        if (continuationToken is not null)
        {
            index = listed.FindIndex(c => PageToken.Open(continuationToken, c.Definition.Id, scope, filter) is not null);
            if (index < 0)
                return Problem.Validation([new FieldError("/query/continuationToken",
                    "not a token this API gave for this unit, level, year and status")]);
            token = PageToken.Open(continuationToken, listed[index].Definition.Id, scope, filter);
            if (token == CampaignStart) token = null;
        }

        var items = new List<HonourView>();
        try
        {
            for (int reads = 0; index < listed.Count && items.Count < size; reads++)
            {
                CampaignRecord campaign = listed[index];
                string id = campaign.Definition.Id;
                if (reads == MaxTableReadsPerPage)
                    return new HonourPage(items, PageToken.Seal(token ?? CampaignStart, id, scope, filter));
                // The campaign's own unit lies under the one asked for: all of its partition is in scope.
                string? range = UnitPath.Covers(unit, campaign.Definition.Unit) ? null : unit;
                (List<Honour> page, string? next) = await honours.PageAsync(id, range, level, status, now, size - items.Count, token, ct);
                items.AddRange(page.Select(h => HonourView.Of(h, campaign, now)));
                if (next is not null) token = next;
                else
                {
                    index++;
                    token = null;
                }
            }
            string? more = index < listed.Count ? PageToken.Seal(token ?? CampaignStart, listed[index].Definition.Id, scope, filter) : null;
            return new HonourPage(items, more);
        }
        catch (RequestFailedException e) when (e.Status is 400 or 404)
        {
            return Problem.Validation([new FieldError("/query/continuationToken", "not a token this API gave")]);
        }
    }

    /// <summary>A branch's titles in every published campaign over it, newest first: one row read per such campaign.</summary>
    public async Task<Result<HonourHistory>> HistoryAsync(Caller caller, string branchId, CancellationToken ct)
    {
        if (!UnitPath.IsValid(branchId) || UnitPath.KindOf(branchId) != UnitKinds.Branch)
            return Problem.NotFound($"No branch '{branchId}'.");
        if (!caller.WorksOn(branchId)) return Problem.Forbidden(ReadersOnly);
        DateTimeOffset now = clock.GetUtcNow();
        List<CampaignRecord> over = await PublishedOverAsync(branchId, ct);
        var found = await Task.WhenAll(over.Select(async c => (Campaign: c, Row: await honours.GetAsync(c.Definition.Id, branchId, ct))));
        return new HonourHistory(branchId,
            [.. found.Where(f => f.Row is not null).Select(f => HonourView.Of(f.Row!.Value.Honour, f.Campaign, now))]);
    }

    /// <summary>
    /// A title as anyone may check it: 404 when the branch has no title in that campaign. Reads the campaign and the
    /// title (two rows); the newest signed list once per version and host.
    /// </summary>
    public async Task<Result<PublicHonourView>> PublicAsync(string campaignId, string branchId, CancellationToken ct)
    {
        var (campaign, honour, missing) = await TitleAsync(campaignId, branchId, ct);
        if (missing is not null) return missing;
        DateTimeOffset now = clock.GetUtcNow();
        CampaignDefinition definition = campaign!.Definition;
        PublicStatement? statement = null;
        if (campaign.StatementVersion is { } version && await StatementAsync(campaignId, version, ct) is { } signed)
            statement = new PublicStatement(signed.Version, address.SignedList(campaignId, signed.Version), signed.Sha256, signed.Kid,
                signed.IssuedAt, address.Keys, signed.Entries.GetValueOrDefault(branchId));
        return new PublicHonourView(honour!.BranchId, honour.BranchName, new PublicCampaign(campaignId, definition.Title, honour.Year),
            honour.Level, LevelTitle(definition, honour.Level) ?? honour.Level, honour.CurrentLevel,
            LevelTitle(definition, honour.CurrentLevel),
            honour.StatusAt(now), honour.SinceAt(now), honour.ValidUntil, honour.ReasonCategory,
            address.HonourPage(campaignId, branchId), statement);
    }

    /// <summary>The address a plaque's QR code encodes, for a branch with a title in the campaign (else 404).</summary>
    public async Task<Result<string>> PlaqueAddressAsync(string campaignId, string branchId, CancellationToken ct)
    {
        if (!CampaignAccess.IsCampaignId(campaignId) || !UnitPath.IsValid(branchId)
            || await honours.GetAsync(campaignId, branchId, ct) is null)
            return Problem.NotFound($"Branch '{branchId}' holds no title of campaign '{campaignId}'.");
        return address.HonourPage(campaignId, branchId);
    }

    async Task<(CampaignRecord? Campaign, Honour? Honour, Problem? Problem)> TitleAsync(string campaignId, string branchId,
        CancellationToken ct)
    {
        Problem none = Problem.NotFound($"Branch '{branchId}' holds no title of campaign '{campaignId}'.");
        if (!UnitPath.IsValid(branchId)) return (null, null, none);
        var (campaign, _, missing) = await access.LoadAsync(campaignId, ct);
        if (missing is not null) return (null, null, missing);
        if (campaign!.Status != CampaignStatus.Published || await honours.GetAsync(campaignId, branchId, ct) is not { } row)
            return (null, null, none);
        return (campaign, row.Honour, null);
    }

    /// <summary>The published campaigns whose unit covers <paramref name="unit"/> or lies under it, newest first.</summary>
    async Task<List<CampaignRecord>> PublishedOverAsync(string unit, CancellationToken ct) =>
        [.. (await campaigns.ListAsync(CampaignStatus.Published, ct))
            .Where(c => UnitPath.Covers(c.Definition.Unit, unit) || UnitPath.Covers(unit, c.Definition.Unit))
            .OrderByDescending(StatementIssuer.YearOf).ThenByDescending(c => c.PublishedAt)
            .ThenBy(c => c.Definition.Id, StringComparer.Ordinal)];

    static bool IsLevelId(string id) =>
        id.Length is >= 1 and <= 40 && id.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-') && id[0] != '-';

    static string? LevelTitle(CampaignDefinition definition, string level) =>
        definition.Levels.FirstOrDefault(l => l.Id == level)?.Title;

    sealed record ParsedStatement(int Version, string Sha256, string Kid, DateTimeOffset IssuedAt,
        IReadOnlyDictionary<string, StatementRating> Entries);

    /// <summary>A version of the signed list, read and parsed once per host (a version never changes).</summary>
    async Task<ParsedStatement?> StatementAsync(string campaignId, int version, CancellationToken ct)
    {
        if (parsed.TryGetValue((campaignId, version), out ParsedStatement? kept)) return kept;
        if (await statements.GetAsync(campaignId, version, ct) is not { } record
            || await statements.ReadJwsAsync(record, ct) is not { } jws)
            return null;
        string[] parts = jws.Split('.');
        if (parts.Length != 3 || RatingsStatement.FromJson(Base64Url.DecodeFromChars(parts[1])) is not { } statement) return null;
        var entry = new ParsedStatement(version, record.Sha256, record.Kid, record.IssuedAt,
            statement.Ratings.ToDictionary(r => r.BranchId, StringComparer.Ordinal));
        if (parsed.Count >= MaxCachedStatements) parsed.Clear();
        parsed[(campaignId, version)] = entry;
        return entry;
    }
}
