namespace Eval.Web.Services;

// The API's resources as this app reads them: the fields it shows, named as docs/openapi.json names them.

/// <summary>The local host's development sign-in answer (POST /api/dev/token).</summary>
public sealed record DevToken(string Token, DateTimeOffset ExpiresAt, string Role, string Unit, string UnitName, string Name);

/// <summary>One page of the inbox (GET /api/inbox).</summary>
public sealed record InboxPage(IReadOnlyList<InboxEntry> Items, string? ContinuationToken);

public sealed record InboxEntry(string Kind, string Role, string Status, DateTimeOffset Due, string CampaignId, string CampaignTitle,
    string BranchId, string BranchName, string Unit, string Link, string Action, string? Id, bool Escalated);

/// <summary>A campaign's ratings list, under notice or published (GET /api/campaigns/{cid}/ratings).</summary>
public sealed record RatingsList(string CampaignId, string Status, DateTimeOffset? PublicityEndsAt, DateTimeOffset? PublishedAt,
    IReadOnlyList<RatedBranch> Ratings);

public sealed record RatedBranch(string BranchId, string BranchName, decimal Score, decimal UnityShare, int Rank, string Level);

/// <summary>
/// A campaign as GET /api/campaigns/{cid} shows it: its status and counts per stage, and its definition for working roles;
/// a member gets the summary alone.
/// </summary>
public sealed record CampaignView(string Id, string Title, string Unit, string Status, int? BranchCount, DateTimeOffset? PublicityEndsAt,
    StageCounts? Evaluations, CampaignDefinition? Definition);

/// <summary>The campaign's rules: the rubric (a category's own where it has one), the levels, the panel's size.</summary>
public sealed record CampaignDefinition(string Id, string Title, string Unit, Rubric Rubric, int ScorersPerBranch, int MaxReturns)
{
    public IReadOnlyDictionary<string, Rubric>? Rubrics { get; init; }

    /// <summary>The members' appraisal (民主测评), when the campaign holds one.</summary>
    public System.Text.Json.Nodes.JsonObject? Appraisal { get; init; }

    /// <summary>The levels as defined (id, title, minScore, quota, allocation, gates), kept whole for a rehearsal to vary.</summary>
    public System.Text.Json.Nodes.JsonArray? Levels { get; init; }

    /// <summary>The rubric a branch of <paramref name="category"/> is scored by, as the API chooses it.</summary>
    public Rubric RubricFor(string? category) =>
        category is not null && Rubrics is { } own && own.TryGetValue(category, out Rubric? rubric) ? rubric : Rubric;
}

public sealed record Rubric(IReadOnlyList<Criterion> Criteria, decimal UnityWeight, decimal UnityMinShare, IReadOnlyList<RubricItem>
    VetoItems)
{
    public IReadOnlyList<RubricSection>? Sections { get; init; }
    public IReadOnlyList<DeductionItem>? Deductions { get; init; }
    public IReadOnlyList<BonusItem>? Bonuses { get; init; }
    public decimal? BonusCap { get; init; }
    public IReadOnlyList<RubricItem>? Flags { get; init; }

    /// <summary>Whether the criterion counts as unity (民族团结进步): marked so, or in a unity section.</summary>
    public bool IsUnity(Criterion criterion) =>
        criterion.Unity || (criterion.Section is { } id && (Sections ?? []).Any(s => s.Id == id && s.Unity));

    /// <summary>The most the criteria's points add up to (before deductions, bonuses and weights).</summary>
    public decimal CriteriaMaximum => Criteria.Sum(c => c.MaxPoints);

    /// <summary>The points of a form being filled in, added up: a field left empty counts nothing.</summary>
    public decimal Total(IReadOnlyDictionary<string, decimal?> points) => Criteria.Sum(c => points.GetValueOrDefault(c.Id) ?? 0);

    /// <summary>The criteria whose points a form has left empty, each a problem at its field (/scores/{id}).</summary>
    public FieldProblem[] Unfilled(IReadOnlyDictionary<string, decimal?> points, string message) =>
        [.. Criteria.Where(c => points.GetValueOrDefault(c.Id) is null).Select(c => new FieldProblem($"/scores/{c.Id}", message))];

    /// <summary>The criteria by section, in the rubric's order; a flat rubric is one untitled group.</summary>
    public IReadOnlyList<(RubricSection? Section, IReadOnlyList<Criterion> Criteria)> Grouped() =>
        Sections is { Count: > 0 } sections
            ? [.. sections.Select(s => ((RubricSection?)s, (IReadOnlyList<Criterion>)[.. Criteria.Where(c => c.Section == s.Id)]))]
            : [(null, Criteria)];
}

public sealed record Criterion(string Id, string Title, decimal MaxPoints, bool Unity, EvidenceRequirement? Evidence, string? Section);

public sealed record EvidenceRequirement(bool Required, int MinFiles);

public sealed record RubricSection(string Id, string Title, bool Unity);

/// <summary>A veto item or a scorer's flag: an id and its title.</summary>
public sealed record RubricItem(string Id, string Title);

public sealed record DeductionItem(string Id, string Title, decimal PointsEach, decimal Cap);

public sealed record BonusItem(string Id, string Title, decimal MaxPoints);

/// <summary>An evaluation's stages in their order, as the API names them.</summary>
public static class EvaluationStages
{
    public static readonly IReadOnlyList<string> All =
        ["awaiting-self-assessment", "awaiting-township-review", "awaiting-county-score", "awaiting-appraisal", "done"];
}

/// <summary>One branch's evaluation (GET …/evaluations/{branchId}).</summary>
public sealed record Evaluation(string CampaignId, string BranchId, string BranchName, string Stage, bool Overdue, string? Outcome,
    decimal? FinalScore, decimal? UnityShare, int Round, DateTimeOffset? StageDeadline, Submission? Submission, ReviewEntry? Review,
    IReadOnlyList<ScoreEntry> Scores, IReadOnlyList<HistoryEntry> History, IReadOnlyList<EvidenceFile> Evidence, string? Category);

public sealed record Actor(string Id, string Name, string Role);

public sealed record Submission(SelfAssessment Assessment, Actor By, DateTimeOffset At, int Round);

public sealed record SelfAssessment(IReadOnlyDictionary<string, decimal> Scores, string Summary, IReadOnlyList<EvidenceCitation>? Evidence);

/// <summary>A cited document: a link (title and url) or an uploaded file (evidenceId).</summary>
public sealed record EvidenceCitation(string Criterion, string? Title, string? Url, string? EvidenceId);

public sealed record ReviewEntry(TownshipReview Review, Actor By, DateTimeOffset At, int Round);

public sealed record TownshipReview(string Decision, string? Comment, IReadOnlyList<AppliedDeduction>? Deductions);

public sealed record AppliedDeduction(string Item, int Occurrences, string Reason);

public sealed record AwardedBonus(string Item, decimal Points, string Reason);

public sealed record ScoreEntry(CountyScore Score, Actor By, DateTimeOffset At);

public sealed record CountyScore(IReadOnlyDictionary<string, decimal> Scores, string? Veto, string? Comment,
    IReadOnlyList<AppliedDeduction>? Deductions, IReadOnlyList<AwardedBonus>? Bonuses, IReadOnlyList<string>? Flags);

public sealed record HistoryEntry(DateTimeOffset Time, string Actor, string Role, string Action, string? Detail);

/// <summary>A file of evidence: pending while it uploads, verified (type, size, hash, time) or refused (why).</summary>
public sealed record EvidenceFile(string EvidenceId, int Round, string Criterion, string Title, string FileName, string Status,
    string? ContentType, long? Size, string? Sha256, DateTimeOffset? UploadedAt, string? Refusal);

/// <summary>Where to PUT one file (POST …/evidence).</summary>
public sealed record EvidenceSlot(string EvidenceId, string UploadUrl, IReadOnlyDictionary<string, string> UploadHeaders,
    DateTimeOffset ExpiresAt, long MaxBytes);

/// <summary>A page of a work queue (GET …/evaluations?unit=&amp;stage=).</summary>
public sealed record EvaluationList(IReadOnlyList<EvaluationSummary> Items, string? ContinuationToken);

public sealed record EvaluationSummary(string BranchId, string BranchName, string Stage, bool Overdue, string? Outcome, decimal? FinalScore,
    decimal? UnityShare, int Round, DateTimeOffset? StageDeadline);

/// <summary>A step's answer: the API took the decision in (202); the workflow applies it a moment later.</summary>
public sealed record StepAccepted(bool Accepted);

/// <summary>The campaigns the caller may see (GET /api/campaigns).</summary>
public sealed record CampaignList(IReadOnlyList<CampaignSummary> Campaigns);

public sealed record CampaignSummary(string Id, string Title, string Unit, string Status, int? BranchCount, DateTimeOffset? PublicityEndsAt,
    DateTimeOffset? PublishedAt);

public sealed record StageCounts(int Total, IReadOnlyDictionary<string, int> Stages, int Overdue);

/// <summary>The recomputed audit chains (GET …/audit/verify).</summary>
public sealed record AuditCheck(bool Intact, int Chains, int Links, string? FirstBroken, int EvidenceFiles);

/// <summary>A unit's statistics and its children's (GET …/statistics).</summary>
public sealed record Statistics(string CampaignId, string Status, string Unit, DateTimeOffset AsOf, UnitStatistics Total,
    IReadOnlyList<UnitStatistics> Children);

public sealed record UnitStatistics(string Unit, string Name, string Kind, int Evaluations, IReadOnlyDictionary<string, int> Stages,
    int Overdue, IReadOnlyDictionary<string, int> Outcomes, IReadOnlyDictionary<string, int>? Levels, int Scored, decimal? MeanScore,
    IReadOnlyList<Bin> Scores, IReadOnlyList<Bin> UnityShares);

/// <summary>A histogram's bin: from (inclusive) to (exclusive; none: no upper bound).</summary>
public sealed record Bin(decimal From, decimal? To, int Count);

/// <summary>A branch's members' appraisal (民主测评) as its reader may see it (GET …/appraisal).</summary>
public sealed record Appraisal(string CampaignId, string BranchId, string Status, DateTimeOffset? OpensAt, DateTimeOffset? ClosesAt,
    IReadOnlyList<AppraisalChoice> Choices, int Eligible, bool Named, int Ballots, bool? YouVoted, AppraisalResult? Result);

public sealed record AppraisalChoice(string Id, string Title, decimal Value);

public sealed record AppraisalResult(int Ballots, int Eligible, decimal Participation, bool Valid, string? Invalid, decimal? Satisfaction,
    bool TooFewToShow);

/// <summary>An objection (异议) to a branch on the list under notice, and its finding once resolved.</summary>
public sealed record Objection(string Id, string BranchId, string Text, Actor FiledBy, DateTimeOffset FiledAt, string Status,
    string? Comment, DateTimeOffset? ResolvedAt);

public sealed record ObjectionList(IReadOnlyList<Objection> Objections, string? ContinuationToken);

/// <summary>A title as anyone may check it (GET /api/public/honours/{cid}/{branchId}): what a plaque's QR code opens.</summary>
public sealed record PublicHonour(string BranchId, string BranchName, PublicCampaign Campaign, string Level, string LevelTitle,
    string CurrentLevel, string? CurrentLevelTitle, string Status, DateTimeOffset Since, DateTimeOffset ValidUntil, string? ReasonCategory,
    string Url, PublicStatement? Statement);

public sealed record PublicCampaign(string Id, string Title, int Year);

public sealed record PublicStatement(int Version, string Url, string Sha256, string Kid, DateTimeOffset IssuedAt, string KeysUrl);

/// <summary>What a rehearsal (试算) gave: counts per level, in all and per unit; never a branch.</summary>
public sealed record Rehearsal(DateTimeOffset At, int Ranked, IReadOnlyDictionary<string, int> Levels, IReadOnlyList<RehearsalUnit> Units);

public sealed record RehearsalUnit(string Unit, string Name, IReadOnlyDictionary<string, int> Levels);

/// <summary>A page of the honours register (GET /api/honours).</summary>
public sealed record HonourPage(IReadOnlyList<Honour> Items, string? ContinuationToken);

public sealed record Honour(string CampaignId, string CampaignTitle, int Year, string BranchId, string BranchName, string Level,
    string CurrentLevel, string Status, DateTimeOffset Since, DateTimeOffset ValidUntil, string? ReasonCategory);

/// <summary>An in-year change of a branch's title (动态管理): a demotion or revocation, proposed and decided.</summary>
public sealed record HonourChange(string Id, string CampaignId, string BranchId, string Kind, string FromLevel, string ToLevel,
    string ReasonCategory, string Description, Actor ProposedBy, DateTimeOffset ProposedAt, string Status, DateTimeOffset DecisionDue,
    HonourChangeDecision? Decision, DateTimeOffset? NoticeEnds, int Objections, int OpenObjections, string? Outcome);

public sealed record HonourChangeDecision(bool Approve, bool Notice, string Comment, Actor By, DateTimeOffset At);

public sealed record HonourChangeList(string CampaignId, string BranchId, IReadOnlyList<HonourChange> Changes);
