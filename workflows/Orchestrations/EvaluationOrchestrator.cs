using System.Diagnostics.CodeAnalysis;
using Eval.Workflows.Activities;
using Eval.Workflows.Domain;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace Eval.Workflows.Orchestrations;

/// <summary>
/// One branch through the campaign: self-assessment → township review (possibly returned, up to maxReturns
/// times) → county scoring by k scorers → an outcome. Each human step (<see cref="HumanSteps"/>) is awaited by its
/// type, raced against a durable timer; a forced publication closes it at any wait. A campaign's members' appraisal
/// (民主测评) runs beside the stages on a timer of its own: counted when its window closes, whatever stage that finds,
/// and waited for before the score. From version 3 each wait for a step also takes its supervision (督办): an urging is
/// recorded, an extension moves the step's deadline and re-arms its timer (an overdue step is no longer overdue). Every
/// decision is written by RecordEvaluationActivity.
/// </summary>
public sealed class EvaluationOrchestrator : TaskOrchestrator<EvaluationInput, EvaluationResult>
{
    /// <summary>
    /// A submission the API accepted just before the self-assessment deadline may reach the workflow through the
    /// queue a little after it; it still counts if it was accepted in time. Later ones the API refuses itself.
    /// </summary>
    public static readonly TimeSpan InFlightGrace = TimeSpan.FromSeconds(15);

    public override async Task<EvaluationResult> RunAsync(TaskOrchestrationContext context, EvaluationInput input)
    {
        var run = new Run(context, input);
        return await run.ExecuteAsync();
    }

    enum WaitEnd { Event, Deadline, Closed }

    [SuppressMessage("Orchestration", "DURABLE0010", Justification =
        "log is context.CreateReplaySafeLogger's logger; the analyzer counts any logger kept in a field as unsafe.")]
    sealed class Run(TaskOrchestrationContext context, EvaluationInput input)
    {
        readonly ILogger log = context.CreateReplaySafeLogger<EvaluationOrchestrator>();
        readonly EventInbox inbox = new(context);
        readonly EvaluationRules rules = input.Rules;
        Task<EvaluationClosed>? closed;
        // The members' appraisal, from version 2: the timer of its window's close once the window is open, then its count.
        readonly AppraisalDefinition? appraisalRules = input.Version >= 2 ? input.Rules.Appraisal : null;
        Task? appraisalCloses;
        AppraisalResult? appraisal;
        // An orchestration does not complete while a timer is pending: an evaluation that ends first cancels it.
        readonly CancellationTokenSource appraisalTimer = new();
        // The start wrote Seq 0 (stage awaiting-self-assessment); each decision here is the next Seq.
        int seq;
        int round;
        // The waiting step's deadline, which the timer races: an extension moves it; null once the step is escalated.
        DateTimeOffset? stepDeadline;
        // Urgings and extensions, from version 3; each is raised again until the record shows it taken in, so kept by id.
        readonly bool supervised = input.Version >= SupervisionRules.FromVersion;
        readonly HashSet<string> supervisionTaken = new(StringComparer.Ordinal);

        DateTimeOffset Now => new(context.CurrentUtcDateTime, TimeSpan.Zero);

        public async Task<EvaluationResult> ExecuteAsync()
        {
            closed = context.WaitForExternalEvent<EvaluationClosed>(EvaluationEvents.Closed);
            DateTimeOffset selfAssessmentDeadline = input.StartedAt + rules.SelfAssessment;
            if (appraisalRules?.OpensAt is { } fixedOpening) OpenAppraisal(fixedOpening);

            while (true)
            {
                // 1. The branch's self-assessment, accepted by the deadline (which an extension may move).
                stepDeadline = selfAssessmentDeadline;
                var (submitted, end) = await WaitForAsync(HumanSteps.SelfAssessment, e => e.At <= stepDeadline!.Value, InFlightGrace);
                if (end == WaitEnd.Closed) return await CloseAsync();
                if (end == WaitEnd.Deadline && (input.Version < 1 || (submitted = await AcceptedInTimeAsync(stepDeadline!.Value)) is null))
                    return await FinishAsync(Outcomes.NotSubmitted, null, Entry(SystemActor.Instance, HistoryActions.SelfAssessmentMissed,
                        round == 0 ? "no self-assessment by the deadline" : "not resubmitted by the deadline"));

                DateTimeOffset reviewDeadline = Now + rules.TownshipReview;
                string detail = submitted!.Assessment.HistoryDetail(round);
                // An appraisal without a fixed time opens with the first submission, as the API accepted it.
                DateTimeOffset? appraisalOpens = appraisalRules is { OpensAt: null } && appraisalCloses is null ? submitted.At : null;
                if (appraisalOpens is { } opens) OpenAppraisal(opens);
                await RecordAsync(Change(Entry(submitted.By, HistoryActions.SelfAssessmentSubmitted, detail, submitted.At))
                with {
                    Stage = Stages.AwaitingTownshipReview,
                    Submission = new SubmissionEntry(submitted.Assessment, submitted.By, submitted.At, round),
                    StageDeadline = reviewDeadline,
                    Overdue = false,
                    AppraisalOpensAt = appraisalOpens,
                });

                // 2. The township's review: approve, return (the branch reworks it) or reject.
                var (reviewed, _) = await WaitWithEscalationAsync(HumanSteps.TownshipReview,
                    e => e.Review.Decision != ReviewDecisions.Return || round < rules.MaxReturns, reviewDeadline);
                if (reviewed is null) return await CloseAsync();

                var review = new ReviewEntry(reviewed.Review, reviewed.By, reviewed.At, round);
                switch (reviewed.Review.Decision)
                {
                    case ReviewDecisions.Reject:
                        return await FinishAsync(Outcomes.Rejected, null,
                            Entry(reviewed.By, HistoryActions.TownshipRejected, reviewed.Review.Comment, reviewed.At), review);
                    case ReviewDecisions.Return:
                        round++;
                        selfAssessmentDeadline = Now + rules.SelfAssessment;
                        await RecordAsync(Change(Entry(reviewed.By, HistoryActions.TownshipReturned, reviewed.Review.Comment, reviewed.At))
                        with {
                            Stage = Stages.AwaitingSelfAssessment, Review = review, Round = round,
                            StageDeadline = selfAssessmentDeadline, Overdue = false,
                        });
                        continue;
                }

                DateTimeOffset scoringDeadline = Now + rules.CountyScoring;
                await RecordAsync(Change(Entry(reviewed.By, HistoryActions.TownshipApproved, reviewed.Review.Comment, reviewed.At))
                with {
                    Stage = Stages.AwaitingCountyScore, Review = review, StageDeadline = scoringDeadline, Overdue = false,
                });
                // 3. The county's scores, then the outcome.
                return await ScoreAsync(scoringDeadline, reviewed.Review);
            }
        }

        /// <summary>
        /// A self-assessment the API accepted by the deadline whose event never arrived (the raise failed, or the process
        /// died, after the claim): the record's outbox still holds it, and it counts. Asked only once the deadline has passed.
        /// </summary>
        async Task<SelfAssessmentSubmitted?> AcceptedInTimeAsync(DateTimeOffset deadline)
        {
            AcceptedAction? kept = await context.CallActivityAsync<AcceptedAction?>(TaskNames.FindAcceptedAction,
                new FindAcceptedActionInput(input.CampaignId, input.BranchId, HumanSteps.SelfAssessment.Event, round),
                ActivityRetry.Options);
            if (kept?.Step is not SelfAssessmentSubmitted e || e.Round != round || e.At > deadline) return null;
            log.LogWarning("Evaluation {CampaignId}/{BranchId} (instance {InstanceId}) took its self-assessment from the outbox " +
                "at the deadline: its event never arrived",
                input.CampaignId, input.BranchId, context.InstanceId);
            return e;
        }

        async Task<EvaluationResult> ScoreAsync(DateTimeOffset scoringDeadline, TownshipReview approval)
        {
            // Flagged overdue once: after that the remaining scorers are awaited without a deadline (or by an extension's).
            DateTimeOffset? deadline = scoringDeadline;
            var scores = new List<ScoreEntry>();
            while (scores.Count < rules.ScorersPerBranch)
            {
                var (scored, _) = await WaitWithEscalationAsync(HumanSteps.CountyScore,
                    e => scores.All(s => s.By.Id != e.By.Id), deadline);
                // None once escalated (unless extended since): the remaining scorers wait as the step does now.
                deadline = stepDeadline;
                if (scored is null) return await CloseAsync();
                var entry = new ScoreEntry(scored.Score, scored.By, scored.At);
                scores.Add(entry);
                string detail = scored.Score.Veto is { } veto ? $"veto: {veto}" : $"scorer {scores.Count} of {rules.ScorersPerBranch}";
                if (scores.Count < rules.ScorersPerBranch)
                    await RecordAsync(Change(Entry(scored.By, HistoryActions.CountyScored, detail, scored.At)) with { AddScore = entry });
                else
                    return await CompleteScoringAsync(approval, scores, entry, detail);
            }
            throw new InvalidOperationException("unreachable: the loop returns when the last score arrives");
        }

        /// <summary>
        /// The score from every scorer's points, the township's and the scorers' deductions, the scorers' bonuses and the
        /// members' appraisal (docs/scoring.md); events from before deductions and bonuses carry none, so they score as
        /// they did. An appraisal still open is waited for: the last score is recorded, and its close finishes the evaluation.
        /// </summary>
        async Task<EvaluationResult> CompleteScoringAsync(TownshipReview approval, List<ScoreEntry> scores, ScoreEntry last, string detail)
        {
            string? veto = scores.Select(s => s.Score.Veto).FirstOrDefault(v => v is not null);
            string outcome = veto is null ? Outcomes.Scored : Outcomes.Vetoed;
            HistoryEntry entry = Entry(last.By, HistoryActions.CountyScored, detail, last.At);
            ScoreEntry? addScore = last;
            if (appraisalCloses is not null && appraisal is null && outcome == Outcomes.Scored)
            {
                await RecordAsync(Change(entry) with { AddScore = last, Stage = Stages.AwaitingAppraisal, ClearStageDeadline = true });
                Status(Stages.AwaitingAppraisal);
                await Task.WhenAny(appraisalCloses, closed!);
                if (closed!.IsCompleted) return await CloseAsync();
                appraisal = await CountAppraisalAsync();
                (entry, addScore) = (AppraisalEntry(appraisal), null);
            }
            ScoreBreakdown breakdown = Scoring.Breakdown(rules.Rubric, scores.Select(s => s.Score.Scores).ToList(),
                ScoreAdjustments.Of(approval, scores.Select(s => s.Score)) with { Appraisal = appraisal?.ScoreValue });
            return await FinishAsync(outcome, breakdown.Result, entry, addScore: addScore, breakdown: breakdown,
                countedNow: addScore is null ? appraisal : null);
        }

        /// <summary>Arms the timer of the appraisal's close: the window runs from <paramref name="opens"/>, beside the stages.</summary>
        void OpenAppraisal(DateTimeOffset opens) =>
            appraisalCloses = Deadline.PassAsync(context, appraisalRules!.ClosesAt(opens), appraisalTimer.Token);

        /// <summary>Seals the branch's ballot box and counts it (counts, never ballots).</summary>
        Task<AppraisalResult> CountAppraisalAsync() => context.CallActivityAsync<AppraisalResult>(TaskNames.CloseAppraisal,
            new CloseAppraisalInput(input.CampaignId, input.BranchId, appraisalRules!), ActivityRetry.Options);

        HistoryEntry AppraisalEntry(AppraisalResult result) => Entry(SystemActor.Instance, HistoryActions.AppraisalClosed, result.Detail);

        /// <summary>The appraisal's window closed during a stage: counted and recorded there; the stage goes on.</summary>
        async Task RecordAppraisalAsync()
        {
            appraisal = await CountAppraisalAsync();
            await RecordAsync(Change(AppraisalEntry(appraisal)) with { Appraisal = appraisal });
        }

        /// <summary>
        /// Waits for the step; past the deadline, flags the evaluation overdue (its <see cref="HumanStep.OverdueRole"/> may act
        /// from then on) and keeps waiting: without a deadline, unless an extension (version 3) gives it one again, when it is
        /// flagged again if that one passes too.
        /// </summary>
        async Task<(TEvent? Event, bool Escalated)> WaitWithEscalationAsync<TBody, TEvent>(HumanStep<TBody, TEvent> step,
            Func<TEvent, bool> accept, DateTimeOffset? deadline) where TBody : class where TEvent : StepEvent
        {
            stepDeadline = deadline;
            var (e, end) = await WaitForAsync(step, accept);
            bool escalated = false;
            while (end == WaitEnd.Deadline)
            {
                escalated = true;
                string overdue = step.OverdueAction!;
                log.LogInformation("Evaluation {CampaignId}/{BranchId} (instance {InstanceId}) overdue: {Action}",
                    input.CampaignId, input.BranchId, context.InstanceId, overdue);
                await RecordAsync(Change(Entry(SystemActor.Instance, overdue)) with { Overdue = true });
                stepDeadline = null;
                (e, end) = await WaitForAsync(step, accept);
            }
            return (end == WaitEnd.Event ? e : null, escalated);
        }

        /// <summary>
        /// The step's next event of this round that <paramref name="accept"/> takes, unless the deadline (<see cref="stepDeadline"/>,
        /// waited past by <paramref name="grace"/>) or a close comes first. From version 3 an urging or extension that comes
        /// meanwhile is taken in, and at the deadline an extension accepted in time whose event is missing is looked for.
        /// </summary>
        async Task<(TEvent? Event, WaitEnd End)> WaitForAsync<TBody, TEvent>(HumanStep<TBody, TEvent> step, Func<TEvent, bool> accept,
            TimeSpan grace = default) where TBody : class where TEvent : StepEvent
        {
            Status(step.Stage);
            string name = step.Event;
            while (true)
            {
                Task<TEvent> next = inbox.Next<TEvent>(name);
                Task<Supervision>? supervision = supervised ? inbox.Next<Supervision>(EvaluationEvents.Supervised) : null;
                bool appraisalOpen = appraisalCloses is not null && appraisal is null;
                List<Task> waits = [next, closed!];
                if (appraisalOpen) waits.Add(appraisalCloses!);
                if (supervision is not null) waits.Add(supervision);
                if (!await Deadline.WinsAsync(context, Task.WhenAny(waits), stepDeadline + grace))
                {
                    if (supervised && await ExtensionInTimeAsync(step.Stage) is { } extension)
                    {
                        await TakeSupervisionAsync(extension, step.Stage);
                        continue;
                    }
                    return (null, WaitEnd.Deadline);
                }
                if (closed!.IsCompleted) return (null, WaitEnd.Closed);
                if (appraisalOpen && appraisalCloses!.IsCompleted)
                {
                    await RecordAppraisalAsync();
                    if (!next.IsCompleted) continue;
                }
                if (supervision is { IsCompleted: true })
                {
                    await TakeSupervisionAsync(inbox.Take<Supervision>(EvaluationEvents.Supervised), step.Stage);
                    if (!next.IsCompleted) continue;
                }
                TEvent e = inbox.Take<TEvent>(name);
                if (e.Round == round && accept(e)) return (e, WaitEnd.Event);
                // Stale or duplicate (the API checks too; this keeps the orchestration safe if one slips through).
                log.LogWarning("Evaluation {CampaignId}/{BranchId} (instance {InstanceId}) ignored a {Event} " +
                    "that does not fit round {Round}",
                    input.CampaignId, input.BranchId, context.InstanceId, name, round);
            }
        }

        /// <summary>
        /// An urging or extension, recorded once: an extension of the waiting step moves its deadline (the next turn of the wait
        /// arms the timer for it) and clears the overdue flag; one that came after its step moved on is only recorded.
        /// </summary>
        async Task TakeSupervisionAsync(Supervision s, string waitingStage)
        {
            if (!supervisionTaken.Add(s.Id)) return;
            bool fits = s.Stage == waitingStage && s.Round == round;
            string action = s.Kind == SupervisionKinds.Extension ? HistoryActions.DeadlineExtended : HistoryActions.Urged;
            EvaluationChange change = Change(Entry(s.By, action, fits ? s.Detail : s.Detail + "; the step had moved on", s.At))
                with { Supervised = s, SupervisedInEffect = fits };
            if (fits && s.Kind == SupervisionKinds.Extension && s.Deadline is { } extended)
            {
                stepDeadline = extended;
                change = change with { StageDeadline = extended, Overdue = false };
            }
            log.LogInformation("Evaluation {CampaignId}/{BranchId} (instance {InstanceId}): {Action} {Id}{Moot}",
                input.CampaignId, input.BranchId, context.InstanceId, action, s.Id, fits ? "" : " (the step had moved on)");
            await RecordAsync(change);
        }

        /// <summary>At a missed deadline, an extension of the step the API accepted by then whose event has not come.</summary>
        async Task<Supervision?> ExtensionInTimeAsync(string stage)
        {
            if (stepDeadline is not { } missed) return null;
            Supervision? kept = await context.CallActivityAsync<Supervision?>(TaskNames.FindExtension,
                new FindExtensionInput(input.CampaignId, input.BranchId, stage, round, missed), ActivityRetry.Options);
            return kept is { Deadline: { } d } && d > missed && !supervisionTaken.Contains(kept.Id) ? kept : null;
        }

        Task<EvaluationResult> CloseAsync()
        {
            EvaluationClosed c = closed!.Result;
            return c.Veto is { } veto
                ? FinishAsync(Outcomes.Vetoed, null, Entry(veto.By, HistoryActions.JointVetoed, veto.Detail, veto.At))
                : FinishAsync(Outcomes.NotEvaluated, null, Entry(c.By, HistoryActions.Closed, HistoryActions.ClosedDetail, c.At));
        }

        async Task<EvaluationResult> FinishAsync(string outcome, ScoreResult? score, HistoryEntry entry, ReviewEntry? review = null,
            ScoreEntry? addScore = null, ScoreBreakdown? breakdown = null, AppraisalResult? countedNow = null)
        {
            // An evaluation that ends otherwise while its appraisal is open seals the box: no ballot counts for it any more.
            if (appraisalCloses is not null && appraisal is null) await CountAppraisalAsync();
            await RecordAsync(Change(entry) with
            {
                Stage = Stages.Done, Outcome = outcome, Review = review, AddScore = addScore, ClearStageDeadline = true,
                FinalScore = score?.Final, UnityShare = score?.UnityShare, Breakdown = breakdown, Appraisal = countedNow,
            });
            Status(Stages.Done);
            appraisalTimer.Cancel();
            log.LogInformation("Evaluation {CampaignId}/{BranchId} (instance {InstanceId}) done: {Outcome} {Score}",
                input.CampaignId, input.BranchId, context.InstanceId, outcome, score?.Final);
            return new EvaluationResult(outcome, score?.Final, score?.UnityShare);
        }

        EvaluationChange Change(HistoryEntry entry) => new(input.CampaignId, input.BranchId, 0, entry);

        Task RecordAsync(EvaluationChange change) =>
            context.CallActivityAsync<bool>(TaskNames.RecordEvaluation, change with { Seq = ++seq }, ActivityRetry.Options);

        HistoryEntry Entry(Actor by, string action, string? detail = null, DateTimeOffset? at = null) =>
            new(at ?? Now, by.Id, by.Role, action, detail);

        // Set in the first episode, before any wait: FinishStartActivity reads a custom status as "the start was processed".
        void Status(string stage) => context.SetCustomStatus(new EvaluationWorkflowStatus(stage, round));
    }
}
