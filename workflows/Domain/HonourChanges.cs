using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Serialization;

namespace Eval.Workflows.Domain;

public static class HonourChangeKinds
{
    /// <summary>摘星: the honour goes down to a lower level of its campaign.</summary>
    public const string Demote = "demote";
    /// <summary>摘牌: the title is taken away.</summary>
    public const string Revoke = "revoke";

    public static readonly IReadOnlyList<string> All = [Demote, Revoke];
}

/// <summary>Where a change of an honour stands; the first two are waiting for the organization department's decision.</summary>
public static class HonourChangeStatus
{
    public const string Proposed = "proposed";
    /// <summary>Not decided by its deadline: escalated to the organization department of the campaign's unit.</summary>
    public const string Overdue = "overdue";
    /// <summary>Approved without a notice: being applied.</summary>
    public const string Approved = "approved";
    /// <summary>Approved with a public notice: objections are taken until it ends.</summary>
    public const string Notice = "notice";
    public const string Refused = "refused";
    /// <summary>An objection was upheld, or the honour was no longer held when the change came to be applied.</summary>
    public const string Withdrawn = "withdrawn";
    public const string Applied = "applied";

    public static readonly IReadOnlyList<string> All = [Proposed, Overdue, Approved, Notice, Refused, Withdrawn, Applied];

    public static bool IsEnded(string status) => status is Refused or Withdrawn or Applied;

    public static bool AwaitsDecision(string status) => status is Proposed or Overdue;
}

/// <summary>
/// A campaign's rules for changing its honours through the year (动态管理); every member may be left out. Durations are
/// ISO-8601 (<see cref="IsoDuration"/>).
/// </summary>
public sealed record HonourChangeRules
{
    public const string DefaultDecisionWithin = "P10D";
    public const string DefaultNoticeFor = "P5D";

    public static readonly HonourChangeRules Default = new();

    /// <summary>The reason categories a proposal may give: some of <see cref="HonourReasons.Proposable"/>, or all of them.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? Reasons { get; init; }

    /// <summary>How long the organization department has to decide before the change is escalated.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? DecisionWithin { get; init; }

    /// <summary>How long the public notice of an approval with notice lasts.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? NoticeFor { get; init; }

    [JsonIgnore]
    public IReadOnlyList<string> AllowedReasons => Reasons is { Count: > 0 } reasons ? reasons : HonourReasons.Proposable;

    [JsonIgnore]
    public TimeSpan DecisionPeriod => IsoDuration.Parse(DecisionWithin ?? DefaultDecisionWithin);

    [JsonIgnore]
    public TimeSpan NoticePeriod => IsoDuration.Parse(NoticeFor ?? DefaultNoticeFor);
}

/// <summary>The organization department's decision on a change, as the API stored it on the change.</summary>
public sealed record HonourChangeDecision(bool Approve, string Comment, bool Notice, Actor By, DateTimeOffset At)
{
    /// <summary>The operation id of the request that decided: its repeat finds its own decision.</summary>
    public string? Operation { get; init; }
}

/// <summary>
/// A proposed demotion or revocation of one branch's honour (动态管理) and where it stands: proposed by a county scorer
/// or township reviewer over the branch with a reason, a description and evidence files; decided by the organization
/// department; possibly put to a public notice with objections; applied to the register by its workflow.
/// </summary>
public sealed record HonourChange
{
    public required string CampaignId { get; init; }
    public required string BranchId { get; init; }
    public required string Id { get; init; }
    public required string Kind { get; init; }
    /// <summary>The honour's level when the change was proposed.</summary>
    public required string FromLevel { get; init; }
    /// <summary>The level after a demotion; <see cref="Ranking.Revoked"/> for a revocation.</summary>
    public required string ToLevel { get; init; }
    public required string ReasonCategory { get; init; }
    public required string Description { get; init; }
    public required IReadOnlyList<EvidenceFileRef> Evidence { get; init; }
    public required Actor ProposedBy { get; init; }
    public required DateTimeOffset ProposedAt { get; init; }
    /// <summary>When the decision is due; past it only the organization department of the campaign's unit decides.</summary>
    public required DateTimeOffset DecisionDue { get; init; }
    public required string Status { get; init; }
    /// <summary>The operation id of the request that proposed it: its repeat finds it instead of proposing another.</summary>
    public string? ProposeOperation { get; init; }
    public DateTimeOffset? OverdueAt { get; init; }
    public HonourChangeDecision? Decision { get; init; }
    /// <summary>The HMAC that binds <see cref="Decision"/> to this change (Outbox.OutboxBinding); without it, none is taken.</summary>
    public string? DecisionMac { get; init; }
    public DateTimeOffset? NoticeEnds { get; init; }
    /// <summary>Set once the notice is over: objections filed after it are refused.</summary>
    public bool NoticeClosed { get; init; }
    public int Objections { get; init; }
    public int OpenObjections { get; init; }
    public int UpheldObjections { get; init; }
    /// <summary>When it was refused, withdrawn or applied.</summary>
    public DateTimeOffset? EndedAt { get; init; }
    /// <summary>Why it ended as it did, in a sentence.</summary>
    public string? Outcome { get; init; }

    /// <summary>"sha256:" and the SHA-256 of the description: the audit chain holds this, the description stays in scope.</summary>
    [JsonIgnore]
    public string DescriptionHash => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Description)));

    /// <summary>Whether the decision is escalated: marked overdue by the workflow, or past its due time.</summary>
    public bool IsOverdueAt(DateTimeOffset now) => Status == HonourChangeStatus.Overdue || now >= DecisionDue;

    /// <summary>Objections are taken while the notice is open.</summary>
    public bool TakesObjectionsAt(DateTimeOffset now) =>
        Status == HonourChangeStatus.Notice && !NoticeClosed && NoticeEnds is { } ends && now < ends;

    /// <summary>What the workflow reads: the decision only when <paramref name="decisionBound"/> (the API wrote it).</summary>
    public HonourChangeState State(bool decisionBound) => new(Status, decisionBound && Decision is not null,
        decisionBound && Decision?.Approve == true, decisionBound && Decision?.Notice == true, NoticeClosed, OpenObjections,
        UpheldObjections);
}

/// <summary>What the workflow of a change reads of its row: the decision stored, the notice and its objections.</summary>
public sealed record HonourChangeState(string Status, bool Decided, bool Approve, bool Notice, bool NoticeClosed, int OpenObjections,
    int UpheldObjections);

/// <summary>An objection (异议) to a change during its public notice: one per person and change.</summary>
public sealed record HonourChangeObjection(string CampaignId, string BranchId, string ChangeId, string Id, string Text, Actor FiledBy,
    DateTimeOffset FiledAt)
{
    public string Status { get; init; } = ObjectionStatus.Open;
    public string? Comment { get; init; }
    public Actor? ResolvedBy { get; init; }
    public DateTimeOffset? ResolvedAt { get; init; }
    public string? FileOperation { get; init; }
    public string? ResolveOperation { get; init; }
}

/// <summary>Change ids: "chg-" and the 32 hex digits of a version 7 GUID, time-ordered.</summary>
public static partial class HonourChangeIds
{
    public const string Prefix = "chg-";
    /// <summary>The first key after every key that starts with <see cref="Prefix"/> ("." follows "-").</summary>
    public const string PrefixEnd = "chg.";

    public static string New() => Prefix + Guid.CreateVersion7().ToString("N");

    public static bool IsValid(string id) => IdPattern().IsMatch(id);

    [System.Text.RegularExpressions.GeneratedRegex("^chg-[0-9a-f]{32}$", System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex IdPattern();
}

/// <summary>The change workflow's instance id, event and inputs.</summary>
public static class HonourChangeEvents
{
    /// <summary>The change's row changed (a decision, an objection, a resolution): read it again. Repeats are harmless.</summary>
    public const string Updated = "HonourChangeUpdated";

    public static string InstanceId(string campaignId, string branchId, string changeId) => $"honour-{campaignId}-{branchId}-{changeId}";
}

public sealed record HonourChangeUpdated(string What, DateTimeOffset At);

/// <summary>What a change's workflow needs, fixed when it starts.</summary>
/// <param name="Recheck">How long it waits for an event before it reads the row anyway (doubling up to an hour).</param>
public sealed record HonourChangeInput(string CampaignId, string BranchId, string ChangeId, DateTimeOffset DecisionDue, TimeSpan NoticeFor,
    TimeSpan Recheck)
{
    /// <summary>Which calls the orchestration makes (docs/workflows.md, "Versioning"); 0 is the first.</summary>
    public int Version { get; init; }

    public const int CurrentVersion = 0;
}

/// <summary>Which change an activity reads.</summary>
public sealed record HonourChangeRef(string CampaignId, string BranchId, string ChangeId);

/// <summary>A step of a change's workflow on its row: what it marks, when, and for a notice when it ends.</summary>
public sealed record HonourChangeMark(string CampaignId, string BranchId, string ChangeId, string Status, DateTimeOffset At)
{
    /// <summary>Not a status: the mark that closes the public notice (the status stays notice until the change ends).</summary>
    public const string CloseNotice = "close-notice";

    public DateTimeOffset? NoticeEnds { get; init; }
    public string? Outcome { get; init; }
}

/// <summary>The actions a change writes into its audit chain.</summary>
public static class HonourChangeActions
{
    public const string Proposed = "honour-change-proposed";
    public const string Decided = "honour-change-decided";
    public const string Overdue = "honour-change-overdue";
    public const string NoticeClosed = "honour-change-notice-closed";
    public const string ObjectionFiled = "honour-change-objection-filed";
    public const string ObjectionResolved = "honour-change-objection-resolved";
    public const string Withdrawn = "honour-change-withdrawn";
    public const string Applied = "honour-change-applied";
}

/// <summary>The public words of a change's reason categories (the register's short reason).</summary>
public static class HonourReasonTitles
{
    public static string Of(string category) => category switch
    {
        HonourReasons.Veto => "一票否决事项",
        HonourReasons.NegativeList => "负面清单事项",
        HonourReasons.WeakAndLax => "软弱涣散",
        _ => "其他",
    };
}

/// <summary>
/// A change's audit chain: its own (named by its id, in the campaign's partition of table Audit), so that its steps do
/// not queue behind every other change's on one chain. Its links hold JSON details in a fixed order; the proposal is its
/// first link, and the proposal, the decision and the application are recomputed from the change's row by the verifier.
/// </summary>
public static class HonourChangeAudit
{
    static readonly System.Text.Json.JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Create(System.Text.Unicode.UnicodeRanges.All),
    };

    /// <summary>
    /// The change's identity and, with <paramref name="content"/>, what it changes and why: its kind, levels, reason category,
    /// the description's hash, the evidence files' SHA-256s, the decision and the objections' counts.
    /// </summary>
    public static string Detail(HonourChange c, string? outcome = null, bool content = false) => System.Text.Json.JsonSerializer.Serialize(
        new Content(c.Id, c.BranchId, content ? c.Kind : null, content ? c.FromLevel : null, content ? c.ToLevel : null,
            content ? c.ReasonCategory : null, content ? c.DescriptionHash : null,
            content ? [.. c.Evidence.Select(e => "sha256:" + e.Sha256)] : null,
            content && c.Decision is { } d ? new DecisionContent(d.Approve, d.Notice, d.By.Id, d.At.ToUniversalTime(), d.Comment) : null,
            content ? c.Objections : null, content ? c.UpheldObjections : null, outcome), Options);

    /// <summary>The change's first link: its proposal, with what it changes and why (no decision, no objections yet).</summary>
    public static HistoryEntry Proposal(HonourChange c) => new(c.ProposedAt, c.ProposedBy.Id, c.ProposedBy.Role,
        HonourChangeActions.Proposed, Detail(AsProposed(c), content: true));

    /// <summary>
    /// The detail a link with <paramref name="action"/> holds, as recomputed from the change's row now; null for the steps
    /// the row does not keep enough of to recompute (the marks, the objections).
    /// </summary>
    public static string? ExpectedDetail(HonourChange c, string action) => action switch
    {
        HonourChangeActions.Proposed => Detail(AsProposed(c), content: true),
        // Objections are filed only during the notice an approval opens: none were counted when it was decided.
        HonourChangeActions.Decided => Detail(c with { Objections = 0, UpheldObjections = 0 }, content: true),
        HonourChangeActions.Applied => Detail(c, "applied", content: true),
        _ => null,
    };

    static HonourChange AsProposed(HonourChange c) => c with { Decision = null, Objections = 0, UpheldObjections = 0 };

    sealed record Content(string Change, string Branch, string? Kind, string? From, string? To, string? Reason, string? Description,
        IReadOnlyList<string>? Evidence, DecisionContent? Decision, int? Objections, int? Upheld, string? Outcome);

    sealed record DecisionContent(bool Approve, bool Notice, string By, DateTimeOffset At, string Comment);
}
