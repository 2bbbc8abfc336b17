namespace Eval.Workflows.Domain;

/// <summary>One line of an evaluation's history (留痕): when, who, in which role, what.</summary>
public sealed record HistoryEntry(DateTimeOffset Time, string Actor, string Role, string Action, string? Detail = null);

public sealed record SubmissionEntry(SelfAssessment Assessment, Actor By, DateTimeOffset At, int Round);

public sealed record ReviewEntry(TownshipReview Review, Actor By, DateTimeOffset At, int Round);

public sealed record ScoreEntry(CountyScore Score, Actor By, DateTimeOffset At);

/// <summary>An evaluation as stored in table Evaluations and shown by the API.</summary>
public sealed record EvaluationRecord
{
    public required string CampaignId { get; init; }
    public required string BranchId { get; init; }
    public required string BranchName { get; init; }
    /// <summary>The branch's category (村, 社区, …) when the campaign started: which rubric scores it.</summary>
    public string? Category { get; init; }
    /// <summary>The branch's titles in the honours register when the campaign started (none: it never had one).</summary>
    public BranchRegister? Register { get; init; }
    public required string Stage { get; init; }
    public string? Outcome { get; init; }
    public bool Overdue { get; init; }
    /// <summary>How many times the township returned the self-assessment; events carry it so a late one cannot count twice.</summary>
    public int Round { get; init; }
    public DateTimeOffset? StageDeadline { get; init; }
    public decimal? FinalScore { get; init; }
    public decimal? UnityShare { get; init; }
    /// <summary>How the final score was made (docs/scoring.md): sections, deductions, components, bonuses, the cap.</summary>
    public ScoreBreakdown? Breakdown { get; init; }
    /// <summary>A veto from another department (联审); the evaluation ends vetoed whatever its workflow decides.</summary>
    public JointVeto? JointVeto { get; init; }
    /// <summary>When the members' appraisal opened, for a window that opens with the first self-assessment.</summary>
    public DateTimeOffset? AppraisalOpensAt { get; init; }
    /// <summary>The members' appraisal as counted when its window closed (counts, never ballots).</summary>
    public AppraisalResult? Appraisal { get; init; }
    public SubmissionEntry? Submission { get; init; }
    public ReviewEntry? Review { get; init; }
    public IReadOnlyList<ScoreEntry> Scores { get; init; } = [];
    public IReadOnlyList<HistoryEntry> History { get; init; } = [];
    /// <summary>The number of changes applied; makes re-delivered activity calls harmless.</summary>
    public int Seq { get; init; }
    /// <summary>
    /// The hash of the audit link for <see cref="Seq"/>, so the next link chains to it without reading the Audit table.
    /// Null on records written before it was kept; the link is then read.
    /// </summary>
    public string? AuditHead { get; init; }
    /// <summary>
    /// Actions the API has accepted and handed to the workflow ("stage:round" or "stage:round:actor"): written with the
    /// ETag before the event is raised, so of two simultaneous decisions exactly one is accepted.
    /// </summary>
    public IReadOnlyList<string> Claims { get; init; } = [];
    /// <summary>The accepted actions whose events the workflow may not have taken in yet (see <see cref="AcceptedAction"/>).</summary>
    public IReadOnlyList<AcceptedAction> Outbox { get; init; } = [];
    /// <summary>
    /// The version of the workflow the evaluation was started with (<see cref="EvaluationInput.Version"/>), written with the
    /// first record; null on records written before it was kept (version 2 or older).
    /// </summary>
    public int? WorkflowVersion { get; init; }
    /// <summary>Its urgings and deadline extensions (督办): the last urging, and those not taken in yet.</summary>
    public SupervisionState Supervision { get; init; } = new();

    /// <summary>The supervisions still to be taken in: none once the evaluation is done.</summary>
    public IEnumerable<PendingSupervision> UnsettledSupervision() => Stage == Stages.Done ? [] : Supervision.Pending;

    /// <summary>The outbox entries still waiting to be taken in.</summary>
    public IEnumerable<AcceptedAction> UnsettledActions() => Outbox.Where(a => !a.IsSettledIn(this));

    /// <summary>
    /// When a members' appraisal that opens with the first self-assessment opened: as the workflow recorded it, or, in the
    /// moment before it does, when the API accepted that submission (the time the workflow will record).
    /// </summary>
    public DateTimeOffset? AppraisalOpenedAt => AppraisalOpensAt
        ?? UnsettledActions().Where(a => a.Step is SelfAssessmentSubmitted { Round: 0 })
            .Select(a => (DateTimeOffset?)a.At).FirstOrDefault();

    /// <summary>Overdue as soon as the stage's deadline has passed, even before the workflow's timer has flagged it.</summary>
    public bool IsOverdueAt(DateTimeOffset now) => Overdue || (Stage != Stages.Done && StageDeadline is { } d && now > d);
}

/// <summary>
/// One step of an evaluation, decided by its orchestration and applied to the stored record by an activity.
/// Only what changed travels, to keep orchestration histories small.
/// </summary>
public sealed record EvaluationChange(string CampaignId, string BranchId, int Seq, HistoryEntry Entry)
{
    public string? Stage { get; init; }
    public string? Outcome { get; init; }
    public bool? Overdue { get; init; }
    public int? Round { get; init; }
    public DateTimeOffset? StageDeadline { get; init; }
    public bool ClearStageDeadline { get; init; }
    public SubmissionEntry? Submission { get; init; }
    public ReviewEntry? Review { get; init; }
    public ScoreEntry? AddScore { get; init; }
    public decimal? FinalScore { get; init; }
    public decimal? UnityShare { get; init; }
    public ScoreBreakdown? Breakdown { get; init; }
    public DateTimeOffset? AppraisalOpensAt { get; init; }
    public AppraisalResult? Appraisal { get; init; }
    /// <summary>The urging or extension the workflow took in with this change (it leaves the record's pending list).</summary>
    public Supervision? Supervised { get; init; }
    /// <summary>Whether <see cref="Supervised"/> acted on the step waiting then (else it came after the step moved on).</summary>
    public bool SupervisedInEffect { get; init; }

    public EvaluationRecord ApplyTo(EvaluationRecord r) => r with
    {
        Stage = Stage ?? r.Stage,
        // A joint veto is final: an outcome the workflow reaches after it (its event may arrive late, or not at all) is vetoed.
        Outcome = r.JointVeto is not null && Outcome is Outcomes.Scored or Outcomes.NotEvaluated ? Outcomes.Vetoed : Outcome ?? r.Outcome,
        Overdue = Overdue ?? r.Overdue,
        Round = Round ?? r.Round,
        StageDeadline = ClearStageDeadline ? null : StageDeadline ?? r.StageDeadline,
        Submission = Submission ?? r.Submission,
        Review = Review ?? r.Review,
        Scores = AddScore is null ? r.Scores : [.. r.Scores, AddScore],
        FinalScore = FinalScore ?? r.FinalScore,
        UnityShare = UnityShare ?? r.UnityShare,
        Breakdown = Breakdown ?? r.Breakdown,
        AppraisalOpensAt = AppraisalOpensAt ?? r.AppraisalOpensAt,
        Appraisal = Appraisal ?? r.Appraisal,
        History = [.. r.History, Entry],
        Seq = Seq,
        Supervision = Supervised is { } taken
            ? r.Supervision with { Pending = [.. r.Supervision.Pending.Where(p => p.Action.Id != taken.Id)] }
            : r.Supervision,
    };
}
