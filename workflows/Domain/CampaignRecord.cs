namespace Eval.Workflows.Domain;

/// <summary>A campaign as stored in table Campaigns: its definition and where it stands.</summary>
public sealed record CampaignRecord
{
    public required CampaignDefinition Definition { get; init; }
    public required string Status { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required string CreatedBy { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public int? BranchCount { get; init; }
    public DateTimeOffset? PublicationRequestedAt { get; init; }
    public bool Forced { get; init; }
    public DateTimeOffset? PublicityEndsAt { get; init; }
    /// <summary>Set when the notice period is over: objections filed after it are refused.</summary>
    public bool NoticeClosed { get; init; }
    public DateTimeOffset? PublishedAt { get; init; }
    /// <summary>The operation id (Idempotency-Key) of the request that started the campaign: its repeat finishes the start.</summary>
    public string? StartOperation { get; init; }
    /// <summary>The Idempotency-Key operation that created the campaign: its repeat after a crash is answered 201, not 409.</summary>
    public string? CreateOperation { get; init; }
    /// <summary>The operation id of the request that asked for publication: its repeat raises the event again.</summary>
    public string? PublicationOperation { get; init; }
    /// <summary>
    /// The accepted publication request, kept with its claim (the campaign's outbox): raised again by a retry or the
    /// outbox sweep while the campaign's workflow has not taken it in (null on records from before it was kept).
    /// </summary>
    public PublicationRequested? PublicationRequest { get; init; }
    /// <summary>The newest signed list's version (table Statements): readers keep a list until it changes.</summary>
    public int? StatementVersion { get; init; }
    /// <summary>
    /// The HMAC that binds <see cref="PublicationRequest"/> to its claim (Outbox.OutboxBinding); without it the request is
    /// not raised again.
    /// </summary>
    public string? PublicationRequestMac { get; init; }
}

/// <summary>The campaign orchestration's input.</summary>
public sealed record CampaignRunInput(string CampaignId, TimeSpan Publicity)
{
    /// <summary>
    /// Which calls the orchestration makes, fixed at its start (docs/workflows.md, "Versioning"). 0: inputs written before
    /// versions. 1: waiting for objections, the campaign also counts again on its own (<see cref="Recount"/>). 2: the
    /// workflow revokes the levels of upheld objections as their events arrive, during the notice too (before, the API did).
    /// 3: after publication, the titles enter the honours register and the list is signed; last, the campaign starts the
    /// purge of its instances' history (StartHistoryPurge).
    /// </summary>
    public int Version { get; init; }

    public const int CurrentVersion = 3;

    /// <summary>
    /// While objections are open, how long the campaign waits for a resolution's event before it counts again anyway
    /// (doubling up to an hour): an event can be lost, and an objection removed after the count sends none.
    /// </summary>
    public TimeSpan? Recount { get; init; }
}

public static class CampaignEvents
{
    public const string PublicationRequested = nameof(Domain.PublicationRequested);
    public const string ObjectionResolved = nameof(Domain.ObjectionResolved);
}

public sealed record PublicationRequested(bool Force, Actor By, DateTimeOffset At);

public sealed record ObjectionResolved(string ObjectionId, bool Upheld);

public sealed record CloseEvaluationsInput(string CampaignId, Actor By, DateTimeOffset At);

public sealed record ProposeRatingsInput(string CampaignId, DateTimeOffset PublicityEndsAt);

public sealed record PublishRatingsInput(string CampaignId, DateTimeOffset PublishedAt)
{
    /// <summary>Enter the titles in the honours register before the campaign shows published (from campaign version 3).</summary>
    public bool Register { get; init; }
}

/// <summary>Sign the campaign's list as stored now, for <paramref name="Reason"/> (<see cref="RatingsStatement"/>).</summary>
/// <param name="BranchId">
/// For a change of one honour: its branch. The change is signed once a list shows the branch as the register does,
/// whichever change's signing issued it (changes applied together are signed together).
/// </param>
public sealed record SignStatementInput(string CampaignId, string Reason, string? BranchId = null);

/// <summary>An objection (异议) against a listed branch during the public notice.</summary>
public sealed record ObjectionRecord(string CampaignId, string Id, string BranchId, string Text, Actor FiledBy, DateTimeOffset FiledAt)
{
    public string Status { get; init; } = ObjectionStatus.Open;
    public string? Comment { get; init; }
    public Actor? ResolvedBy { get; init; }
    public DateTimeOffset? ResolvedAt { get; init; }
    /// <summary>The operation id of the request that filed it: its repeat finds it instead of filing another.</summary>
    public string? FileOperation { get; init; }
    /// <summary>The operation id of the request that resolved it: its repeat finishes the resolution.</summary>
    public string? ResolveOperation { get; init; }
}

/// <summary>
/// Objection ids: "obj-", then the filing time (milliseconds since 1970, 12 hex digits) and 20 random hex digits, so
/// that id order, the table's order, is the order of filing.
/// </summary>
public static class ObjectionIds
{
    public const string Prefix = "obj-";

    public static string New(DateTimeOffset filedAt) =>
        Prefix + filedAt.ToUnixTimeMilliseconds().ToString("x12", System.Globalization.CultureInfo.InvariantCulture)
        + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(10));

    public static bool IsValid(string id) =>
        id.Length == 36 && id.StartsWith(Prefix, StringComparison.Ordinal)
        && !id.AsSpan(Prefix.Length).ContainsAnyExcept("0123456789abcdef");
}

public static class ObjectionStatus
{
    public const string Open = "open";
    public const string Upheld = "upheld";
    public const string Dismissed = "dismissed";

    public static readonly IReadOnlyList<string> All = [Open, Upheld, Dismissed];
}
