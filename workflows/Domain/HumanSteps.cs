using System.Text.Json.Serialization;
using Eval.Workflows.Schemas;
using NJsonSchema;

namespace Eval.Workflows.Domain;

/// <summary>What every human step's event carries: the round it was accepted for, who acted, and when the API accepted it.</summary>
public abstract record StepEvent(int Round, Actor By, DateTimeOffset At);

/// <summary>Why a step is refused on the evaluation's current state (answered 409 with this problem type).</summary>
public sealed record StepRefusal(string Detail, string Type = "conflict", string? Title = null,
    IReadOnlyDictionary<string, object?>? Extensions = null);

/// <summary>
/// A step a person takes in an evaluation. One declaration holds what the API and the workflow need to know of it: the
/// stage it belongs to, who acts and who may act once it is overdue, the body's schema and rules, the event it raises,
/// and how it is claimed. The API runs every step through one pipeline and the orchestrator waits for a step by its
/// type; docs/extending.md says how to add one.
/// </summary>
public abstract class HumanStep
{
    /// <summary>The step's route segment and name in logs, e.g. "self-assessment".</summary>
    public abstract string Name { get; }

    /// <summary>The stage the evaluation is at while it waits for this step.</summary>
    public abstract string Stage { get; }

    /// <summary>The role that takes the step, in scope of the branch.</summary>
    public abstract string Role { get; }

    /// <summary>The role that may take the step instead once it is overdue, if any.</summary>
    public virtual string? OverdueRole => null;

    /// <summary>The history action written when the step becomes overdue (steps without <see cref="OverdueRole"/> end then).</summary>
    public virtual string? OverdueAction => null;

    /// <summary>The name of the event the workflow waits for (the event type's name).</summary>
    public string Event => EventType.Name;

    public abstract Type EventType { get; }

    /// <summary>The property that holds the event in a record's outbox (stored JSON: never rename).</summary>
    public abstract string OutboxName { get; }

    /// <summary>The 403 detail for a caller who may not take the step.</summary>
    public abstract string NotYours { get; }

    /// <summary>The 403 detail for the <see cref="OverdueRole"/> before the step is overdue.</summary>
    public virtual string NotYetOverdue => "";

    /// <summary>The 409 detail when the step's claim was taken by another request.</summary>
    public abstract string Taken { get; }

    /// <summary>The claim that makes the step happen once: one per round, unless the step takes several actors a round.</summary>
    public virtual string Claim(int round, string actorId) => $"{Stage}:{round}";

    /// <summary>Whether <paramref name="record"/> has taken <paramref name="e"/> in, or is past the point where it could.</summary>
    public virtual bool IsSettledIn(EvaluationRecord record, StepEvent e) => !(record.Stage == Stage && record.Round == e.Round);

    /// <summary>A refusal on the record as read, before the claim; null when the step may be claimed.</summary>
    public virtual StepRefusal? Refuse(EvaluationRecord record, CampaignDefinition campaign, StepEvent e) => null;

    /// <summary>A refusal on the latest record at the moment of the claim (what others did meanwhile); null to claim.</summary>
    public virtual string? RefuseAtClaim(EvaluationRecord record, CampaignDefinition campaign, StepEvent e) => null;

    /// <summary>The type the body binds to.</summary>
    public abstract Type BodyType { get; }

    /// <summary>
    /// The schema the body is validated with (the same one the API publishes), for a branch of <paramref name="category"/>.
    /// </summary>
    public abstract Task<JsonSchema> SchemaAsync(CampaignDefinition campaign, string? category);

    /// <summary>Rules on the bound body that the schema cannot say.</summary>
    public abstract IReadOnlyList<FieldError> Validate(object body);

    /// <summary>Rules on the bound body that depend on the branch's rubric (the deduction and bonus items it names).</summary>
    public virtual IReadOnlyList<FieldError> ValidateFor(object body, Rubric rubric) => [];

    /// <summary>
    /// Whether the body cites uploaded evidence, or must: the API then reads the branch's files for <see cref="CiteEvidence"/>.
    /// </summary>
    public virtual bool CitesEvidence(object body, Rubric rubric) => false;

    /// <summary>The body with the files it cites checked (<see cref="EvidenceCitations"/>) and their records (hashes) attached.</summary>
    public virtual (object Body, IReadOnlyList<FieldError> Errors) CiteEvidence(object body,
        IReadOnlyDictionary<string, EvidenceFile> files, CampaignDefinition campaign, EvaluationRecord evaluation) => (body, []);

    /// <summary>The event for a body accepted at <paramref name="at"/> from <paramref name="by"/>, in <paramref name="round"/>.</summary>
    public abstract StepEvent Accept(int round, object body, Actor by, DateTimeOffset at);

    /// <summary>How the API describes the step: its operation name, summary and description, and who may take it.</summary>
    public abstract StepDescription Description { get; }

    /// <summary>Every human step, in the order of the story.</summary>
    public static IReadOnlyList<HumanStep> All { get; } = [HumanSteps.SelfAssessment, HumanSteps.TownshipReview, HumanSteps.CountyScore];

    public static HumanStep Of(StepEvent e) => All.FirstOrDefault(s => s.EventType == e.GetType())
        ?? throw new InvalidOperationException($"No human step raises {e.GetType().Name}.");
}

/// <summary>A human step with its body (what the person sends) and its event (what the workflow receives).</summary>
public abstract class HumanStep<TBody, TEvent> : HumanStep where TBody : class where TEvent : StepEvent
{
    public sealed override Type EventType => typeof(TEvent);

    public sealed override Type BodyType => typeof(TBody);

    public sealed override IReadOnlyList<FieldError> Validate(object body) => Validate((TBody)body);

    public sealed override StepEvent Accept(int round, object body, Actor by, DateTimeOffset at) => Accept(round, (TBody)body, by, at);

    /// <inheritdoc cref="HumanStep.Validate(object)"/>
    public virtual IReadOnlyList<FieldError> Validate(TBody body) => [];

    /// <inheritdoc cref="HumanStep.Accept(int, object, Actor, DateTimeOffset)"/>
    public abstract TEvent Accept(int round, TBody body, Actor by, DateTimeOffset at);
}

/// <summary>The step as the API's description shows it (the OpenAPI operation).</summary>
/// <param name="Operation">The operation's (and the Functions function's) name.</param>
/// <param name="Who">Which roles at which units may take it.</param>
/// <param name="Examples">Bodies the description offers; each must pass the step's checks for the README's campaign.</param>
public sealed record StepDescription(string Operation, string Summary, string Who, IReadOnlyList<BodyExample> Examples,
    string? Details = null);

/// <summary>One example of a request body: a key for the API description, what it shows, and the JSON.</summary>
public sealed record BodyExample(string Key, string Summary, string Json);

/// <summary>The human steps of an evaluation: self-assessment → township review → county score.</summary>
public static class HumanSteps
{
    public static readonly SelfAssessmentStep SelfAssessment = new();
    public static readonly TownshipReviewStep TownshipReview = new();
    public static readonly CountyScoreStep CountyScore = new();
}

/// <summary>The branch's self-assessment (自评): points per criterion, a summary and evidence.</summary>
public sealed record SelfAssessment(IReadOnlyDictionary<string, decimal> Scores, string Summary, IReadOnlyList<Evidence>? Evidence)
{
    /// <summary>
    /// The history's (and so the audit chain's) detail of a submission: its round and every cited file's id and hash,
    /// so the chain seals which bytes the branch submitted.
    /// </summary>
    public string HistoryDetail(int round)
    {
        EvidenceFileRef[] files = [.. (Evidence ?? []).Select(e => e.File).OfType<EvidenceFileRef>()];
        return files.Length == 0
            ? $"round {round}"
            : $"round {round}; files {string.Join(", ", files.Select(f => $"{f.Id} sha256:{f.Sha256}"))}";
    }
}

public sealed record SelfAssessmentSubmitted(int Round, SelfAssessment Assessment, Actor By, DateTimeOffset At) : StepEvent(Round, By, At);

/// <summary>The branch's secretary submits its self-assessment (自评), by the deadline.</summary>
public sealed class SelfAssessmentStep : HumanStep<SelfAssessment, SelfAssessmentSubmitted>
{
    public override string Name => "self-assessment";
    public override string Stage => Stages.AwaitingSelfAssessment;
    public override string Role => Roles.BranchSecretary;
    public override string OutboxName => "selfAssessment";
    public override string NotYours => "Only the branch's secretary submits its self-assessment.";
    public override string Taken => "A self-assessment for this round was accepted already.";
    public override StepDescription Description { get; } = new("SubmitSelfAssessment", "Submit the branch's self-assessment",
        "branch-secretary of the branch",
        [
            new("submission", "The branch's points for each criterion of the campaign's rubric, with its evidence", """
                {"scores":{"political":23,"organization":22,"service":24,"unity":25},
                 "summary":"全年开展民族团结主题党日12次，结对帮扶困难群众36户。",
                 "evidence":[{"criterion":"unity","title":"民族团结进步创建材料",
                              "url":"https://example.org/yuanbaoshan/b001/unity.pdf"}]}
                """),
            new("with-files", "Citing uploaded files (POST …/evidence, PUT, …/complete) beside a link", """
                {"scores":{"political":23,"organization":22,"service":24,"unity":25},
                 "summary":"全年开展民族团结主题党日12次，结对帮扶困难群众36户。",
                 "evidence":[{"criterion":"unity","evidenceId":"ev-0193a8f2c4e47d2b9f1e6a3c5d7b8e90"},
                             {"criterion":"political","title":"党课记录","url":"https://example.org/yuanbaoshan/b001/lessons.pdf"}]}
                """),
        ],
        "The body's exact schema follows the campaign's rubric: GET /api/campaigns/{cid}/schemas/self-assessment. " +
        "409 outside the stage or after the deadline.");

    public override Task<JsonSchema> SchemaAsync(CampaignDefinition campaign, string? category) =>
        Task.FromResult(SchemaCatalog.SelfAssessment(campaign, category));

    public override SelfAssessmentSubmitted Accept(int round, SelfAssessment body, Actor by, DateTimeOffset at) => new(round, body, by, at);

    public override bool CitesEvidence(object body, Rubric rubric) =>
        ((SelfAssessment)body).Evidence?.Any(e => e.EvidenceId is not null) == true ||
        rubric.Criteria.Any(c => c.Evidence is { Required: true });

    public override (object Body, IReadOnlyList<FieldError> Errors) CiteEvidence(object body,
        IReadOnlyDictionary<string, EvidenceFile> files, CampaignDefinition campaign, EvaluationRecord evaluation)
    {
        var assessment = (SelfAssessment)body;
        IReadOnlyList<Evidence> cited = assessment.Evidence ?? [];
        IReadOnlyList<FieldError> errors =
            EvidenceCitations.Check(cited, files, campaign.RubricFor(evaluation.Category), evaluation.Round, evaluation.StageDeadline);
        if (errors.Count > 0) return (body, errors);
        return (assessment with
        {
            Evidence = [.. cited.Select(e => e.EvidenceId is { } id ? e with { Title = files[id].Title, File = files[id].Ref() } : e)],
        }, []);
    }

    // The workflow counts a submission by the time it was accepted here; after the deadline it would not count.
    public override StepRefusal? Refuse(EvaluationRecord record, CampaignDefinition campaign, StepEvent e) =>
        record.StageDeadline is { } deadline && e.At > deadline
            ? new StepRefusal($"Self-assessments were due by {deadline:O}.", "deadline-passed", "The deadline has passed.",
                new Dictionary<string, object?> { ["deadline"] = deadline })
            : null;
}

/// <summary>The township's decision, its comment and, with an approval, the deductions (减分项) it found.</summary>
public sealed record TownshipReview(string Decision, string? Comment)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<AppliedDeduction>? Deductions { get; init; }
}

public sealed record TownshipReviewed(int Round, TownshipReview Review, Actor By, DateTimeOffset At) : StepEvent(Round, By, At);

/// <summary>The township approves, returns (at most maxReturns times) or rejects; a county scorer may once it is overdue.</summary>
public sealed class TownshipReviewStep : HumanStep<TownshipReview, TownshipReviewed>
{
    public override string Name => "township-review";
    public override string Stage => Stages.AwaitingTownshipReview;
    public override string Role => Roles.TownshipReviewer;
    public override string OverdueRole => Roles.CountyScorer;
    public override string OverdueAction => HistoryActions.TownshipReviewOverdue;
    public override string OutboxName => "review";
    public override string NotYours => "Only a township reviewer in scope reviews this branch.";
    public override string NotYetOverdue => "A county scorer may review only when the township review is overdue.";
    public override string Taken => "Another review of this self-assessment was accepted at the same time.";
    public override StepDescription Description { get; } = new("SubmitTownshipReview",
        "Approve, return (at most maxReturns times) or reject a self-assessment",
        "township-reviewer of the branch's township; a county-scorer in scope once the review is overdue",
        [
            new("approve", "Approve: the submission goes on to the county", """{"decision":"approve","comment":"材料齐全"}"""),
            new("return", "Return for rework, saying why", """{"decision":"return","comment":"请补充民族团结主题党日的签到表和照片。"}"""),
        ],
        "deductions (with approve only) name the deduction items of the branch's rubric, each once.");

    public override Task<JsonSchema> SchemaAsync(CampaignDefinition campaign, string? category) =>
        SchemaCatalog.GetAsync(SchemaCatalog.TownshipReview);

    public override IReadOnlyList<FieldError> Validate(TownshipReview body) => ReviewCommentRules.Validate(body) is { Count: > 0 } errors
        ? errors
        : body.Deductions is { Count: > 0 } && body.Decision != ReviewDecisions.Approve
            ? [new FieldError("/deductions", "only with the decision approve: a returned or rejected branch is not scored")]
            : [];

    public override IReadOnlyList<FieldError> ValidateFor(object body, Rubric rubric) =>
        AdjustmentRules.Check(rubric, ((TownshipReview)body).Deductions, null, null);

    public override TownshipReviewed Accept(int round, TownshipReview body, Actor by, DateTimeOffset at) => new(round, body, by, at);

    public override StepRefusal? Refuse(EvaluationRecord record, CampaignDefinition campaign, StepEvent e) =>
        ((TownshipReviewed)e).Review.Decision == ReviewDecisions.Return && record.Round >= campaign.MaxReturns
            ? new StepRefusal($"This self-assessment was returned {record.Round} times already (the limit): approve or reject it.")
            : null;
}

/// <summary>
/// One county scorer's points per criterion, a veto item id if a disqualifying event applies, and the deductions (减分项),
/// bonuses (加分项) and flags (e.g. innovation) the scorer gives.
/// </summary>
public sealed record CountyScore(IReadOnlyDictionary<string, decimal> Scores, string? Veto, string? Comment)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<AppliedDeduction>? Deductions { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<AwardedBonus>? Bonuses { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? Flags { get; init; }
}

public sealed record CountyScored(int Round, CountyScore Score, Actor By, DateTimeOffset At) : StepEvent(Round, By, At);

/// <summary>Each of scorersPerBranch county scorers scores once; the organization department may once it is overdue.</summary>
public sealed class CountyScoreStep : HumanStep<CountyScore, CountyScored>
{
    public override string Name => "county-score";
    public override string Stage => Stages.AwaitingCountyScore;
    public override string Role => Roles.CountyScorer;
    public override string OverdueRole => Roles.OrgDepartment;
    public override string OverdueAction => HistoryActions.CountyScoringOverdue;
    public override string OutboxName => "score";
    public override string NotYours => "Only a county scorer in scope scores this branch.";
    public override string NotYetOverdue => "The organization department may score only when county scoring is overdue.";
    public override string Taken => "You have scored this branch already; each scorer scores once.";
    public override StepDescription Description { get; } = new("SubmitCountyScore",
        "Score a branch (each of scorersPerBranch scorers once)",
        "county-scorer of the branch's county; org-department in scope once scoring is overdue",
        [
            new("score", "A county scorer's points, no veto item applying", """
                {"scores":{"political":24,"organization":23,"service":23,"unity":25},"veto":null,"comment":"表现突出"}
                """),
        ],
        "The body's exact schema follows the branch's rubric (every criterion with its maximum, the veto, deduction, bonus " +
        "and flag ids); a bonus is at most its item's maxPoints.");

    public override Task<JsonSchema> SchemaAsync(CampaignDefinition campaign, string? category) =>
        Task.FromResult(SchemaCatalog.CountyScore(campaign, category));

    public override IReadOnlyList<FieldError> ValidateFor(object body, Rubric rubric)
    {
        var score = (CountyScore)body;
        return AdjustmentRules.Check(rubric, score.Deductions, score.Bonuses, score.Flags);
    }

    public override CountyScored Accept(int round, CountyScore body, Actor by, DateTimeOffset at) => new(round, body, by, at);

    /// <summary>One claim per scorer and round.</summary>
    public override string Claim(int round, string actorId) => $"{Stage}:{round}:{actorId}";

    public override bool IsSettledIn(EvaluationRecord record, StepEvent e) =>
        base.IsSettledIn(record, e) || record.Scores.Any(s => s.By.Id == e.By.Id);

    public override StepRefusal? Refuse(EvaluationRecord record, CampaignDefinition campaign, StepEvent e) =>
        record.Scores.Any(s => s.By.Id == e.By.Id) ? new StepRefusal(Taken) : null;

    public override string? RefuseAtClaim(EvaluationRecord record, CampaignDefinition campaign, StepEvent e)
    {
        string scorers = $"{Stage}:{e.Round}:";
        int needed = campaign.ScorersPerBranch;
        return record.Claims.Count(c => c.StartsWith(scorers, StringComparison.Ordinal)) >= needed
            ? $"{needed} scores were accepted already."
            : null;
    }
}

/// <summary>The actions the audit chains record: an evaluation's history and the campaign's chain (stored: never rename).</summary>
public static class HistoryActions
{
    public const string Started = "started";
    public const string SelfAssessmentSubmitted = "self-assessment-submitted";
    public const string SelfAssessmentMissed = "self-assessment-missed";
    public const string TownshipApproved = "township-approved";
    public const string TownshipReturned = "township-returned";
    public const string TownshipRejected = "township-rejected";
    public const string TownshipReviewOverdue = "township-review-overdue";
    public const string CountyScored = "county-scored";
    public const string CountyScoringOverdue = "county-scoring-overdue";
    public const string Closed = "closed";
    public const string ClosedDetail = "publication was forced before this evaluation finished";
    public const string JointVetoed = "joint-vetoed";
    public const string AppraisalClosed = "appraisal-closed";
    /// <summary>A superior urged (催办) the waiting step; detail: the stage, round and message.</summary>
    public const string Urged = "urged";
    /// <summary>The waiting step's deadline was extended; detail: the stage, round, new deadline and reason.</summary>
    public const string DeadlineExtended = "deadline-extended";

    // The campaign's own chain.
    public const string ObjectionFiled = "objection-filed";
    public const string ObjectionUpheld = "objection-upheld";
    public const string ObjectionDismissed = "objection-dismissed";
    public const string JointVeto = "joint-veto";
    public const string Rehearsal = "rehearsal";
    /// <summary>The proposed list, as the notice opens (its content: the list's digest).</summary>
    public const string Proposed = "proposed";
    /// <summary>The proposed list after upheld objections revoked levels during the notice (its content: the list's digest).</summary>
    public const string LevelsRevoked = "levels-revoked";
    public const string Published = "published";
    /// <summary>
    /// A later campaign's publication ended titles this campaign's list gave (its content: the digest of the later campaign
    /// and the branches, in order).
    /// </summary>
    public const string HonoursSuperseded = "honours-superseded";

    /// <summary>The campaign links whose content is the proposed list's digest; the last one seals the list as stored.</summary>
    public static readonly IReadOnlyList<string> ListActions = [Proposed, LevelsRevoked];
}
