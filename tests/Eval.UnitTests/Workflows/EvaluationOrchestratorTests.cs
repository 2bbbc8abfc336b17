using System.Collections.Concurrent;
using Eval.Workflows;
using Eval.Workflows.Activities;
using Eval.Workflows.Domain;
using Eval.Workflows.Orchestrations;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;

namespace Eval.UnitTests.Workflows;

/// <summary>
/// The evaluation orchestrator on the in-process engine, with RecordEvaluation replaced by a recorder. Every path
/// asserts both the result and the exact sequence of changes the orchestration asked to be written.
/// </summary>
public sealed class EvaluationOrchestratorTests : IAsyncLifetime
{
    const string CampaignId = "c2025";
    const string BranchId = "chifeng.hongshan.t01.b001";

    static readonly TimeSpan Long = TimeSpan.FromMinutes(5);
    static readonly TimeSpan Short = TimeSpan.FromSeconds(1);

    /// <summary>Four criteria of 25 points, the last one a unity criterion weighted 1.5.</summary>
    static readonly Rubric Rubric = new(
        [
            new Criterion("organization", "组织建设", 25),
            new Criterion("education", "党员教育", 25),
            new Criterion("service", "服务群众", 25),
            new Criterion("unity", "民族团结进步", 25, Unity: true),
        ],
        UnityWeight: 1.5m, UnityMinShare: 0.6m,
        [new VetoItem("ethnic-incident", "发生影响民族团结的事件")]);

    static readonly Actor Secretary = new("u-secretary", "Branch secretary", "branch-secretary");
    static readonly Actor Reviewer = new("u-township", "Township reviewer", "township-reviewer");
    static readonly Actor Scorer1 = new("u-scorer-1", "County scorer 1", "county-scorer");
    static readonly Actor Scorer2 = new("u-scorer-2", "County scorer 2", "county-scorer");
    static readonly Actor Scorer3 = new("u-scorer-3", "County scorer 3", "county-scorer");
    static readonly Actor OrgDepartment = new("u-org", "Organization department", "org-department");

    readonly ConcurrentQueue<EvaluationChange> changes = new();
    /// <summary>The evaluation's outbox as FindAcceptedAction reads it: accepted actions by event and round.</summary>
    readonly ConcurrentDictionary<(string Event, int Round), AcceptedAction> outbox = new();
    /// <summary>The extensions FindExtension finds on the record (their events lost), by stage and round; and each question.</summary>
    readonly ConcurrentDictionary<(string Stage, int Round), Supervision> keptExtensions = new();
    readonly ConcurrentQueue<FindExtensionInput> extensionQuestions = new();
    DurableTaskTestHost host = null!;

    public async Task InitializeAsync() => host = await DurableTaskTestHost.StartAsync(r =>
    {
        r.AddOrchestrator<EvaluationOrchestrator>();
        r.AddActivityFunc<EvaluationChange, bool>(TaskNames.RecordEvaluation, (_, change) => { changes.Enqueue(change); return true; });
        r.AddActivityFunc<FindAcceptedActionInput, AcceptedAction?>(TaskNames.FindAcceptedAction,
            (_, find) => outbox.TryGetValue((find.Event, find.Round), out AcceptedAction? kept) ? kept : null);
        r.AddActivityFunc<FindExtensionInput, Supervision?>(TaskNames.FindExtension, (_, find) =>
        {
            extensionQuestions.Enqueue(find);
            return keptExtensions.TryGetValue((find.Stage, find.Round), out Supervision? kept) && kept.At <= find.Deadline ? kept : null;
        });
        r.AddActivityFunc<CloseAppraisalInput, AppraisalResult>(TaskNames.CloseAppraisal, (_, close) =>
        {
            appraisalsClosed.Enqueue(DateTimeOffset.UtcNow);
            return AppraisalResult.Count(close.Appraisal, 6, Ballots, 6);
        });
    }, InProcessHosts.Options());

    /// <summary>The box CloseAppraisal counts: 6 of 6 members, 460 over 6 ballots (a satisfaction of 76.666…%).</summary>
    static readonly Dictionary<string, int> Ballots = new() { ["satisfied"] = 3, ["fair"] = 2, ["dissatisfied"] = 1 };
    readonly ConcurrentQueue<DateTimeOffset> appraisalsClosed = new();

    public async Task DisposeAsync() => await host.DisposeAsync();

    // ---------------------------------------------------------------- 1. on time

    [Fact]
    public async Task On_time_submit_approve_score_ends_scored_with_the_weighted_final_score()
    {
        DateTimeOffset started = DateTimeOffset.UtcNow;
        string id = await Start(Rules(), started);

        await Raise(id, EvaluationEvents.SelfAssessmentSubmitted, Submit(0));
        await Raise(id, EvaluationEvents.TownshipReviewed, Review(0, ReviewDecisions.Approve));
        // organization 20, education 18, service 22, unity 23.5:
        //   weighted points = 20 + 18 + 22 + 1.5 × 23.5 = 60 + 35.25 = 95.25
        //   weighted maxima = 25 + 25 + 25 + 1.5 × 25   = 75 + 37.5  = 112.5
        //   final = 100 × 95.25 / 112.5 = 84.6666… → 84.67 (half away from zero; truncation would give 84.66)
        //   unity share = 23.5 / 25 = 0.94
        await Raise(id, EvaluationEvents.CountyScored, Score(0, Scorer1, 20, 18, 22, 23.5m));

        EvaluationResult result = await Complete(id);
        Assert.Equal(Outcomes.Scored, result.Outcome);
        Assert.Equal(84.67m, result.FinalScore);
        Assert.Equal(0.94m, result.UnityShare);

        EvaluationChange[] c = AssertSeqs(3);
        Assert.Equal(["self-assessment-submitted", "township-approved", "county-scored"], c.Select(x => x.Entry.Action));

        Assert.Equal(Stages.AwaitingTownshipReview, c[0].Stage);
        Assert.Equal(false, c[0].Overdue);
        Assert.Equal(Secretary.Id, c[0].Entry.Actor);
        Assert.Equal(Secretary.Role, c[0].Entry.Role);
        Assert.NotNull(c[0].Submission);
        Assert.Equal(0, c[0].Submission!.Round);
        Assert.Equal(20m, c[0].Submission!.Assessment.Scores["organization"]);
        Assert.NotNull(c[0].StageDeadline);
        AssertNear(DateTimeOffset.UtcNow + Long, c[0].StageDeadline!.Value, TimeSpan.FromSeconds(30));

        Assert.Equal(Stages.AwaitingCountyScore, c[1].Stage);
        Assert.Equal(false, c[1].Overdue);
        Assert.Equal(Reviewer.Id, c[1].Entry.Actor);
        Assert.Equal(ReviewDecisions.Approve, c[1].Review!.Review.Decision);
        Assert.NotNull(c[1].StageDeadline);

        Assert.Equal(Stages.Done, c[2].Stage);
        Assert.Equal(Outcomes.Scored, c[2].Outcome);
        Assert.Equal(84.67m, c[2].FinalScore);
        Assert.Equal(0.94m, c[2].UnityShare);
        Assert.True(c[2].ClearStageDeadline);
        Assert.Equal(Scorer1.Id, c[2].AddScore!.By.Id);
        Assert.Equal(Scorer1.Id, c[2].Entry.Actor);
        Assert.All(c, x => Assert.Null(x.Round));
        Assert.All(c, x => Assert.Equal(BranchId, x.BranchId));
        Assert.All(c, x => Assert.Equal(CampaignId, x.CampaignId));
    }

    [Fact]
    public async Task Events_raised_back_to_back_before_the_waits_are_all_taken_in_order()
    {
        string id = await Start(Rules());
        // No pause between the events: each is buffered until its wait begins.
        await Raise(id, EvaluationEvents.SelfAssessmentSubmitted, Submit(0));
        await Raise(id, EvaluationEvents.TownshipReviewed, Review(0, ReviewDecisions.Approve));
        await Raise(id, EvaluationEvents.CountyScored, Score(0, Scorer1, 25, 25, 25, 25));

        EvaluationResult result = await Complete(id);
        Assert.Equal(Outcomes.Scored, result.Outcome);
        Assert.Equal(100m, result.FinalScore);
        Assert.Equal(1m, result.UnityShare);
        Assert.Equal(["self-assessment-submitted", "township-approved", "county-scored"], AssertSeqs(3).Select(x => x.Entry.Action));
    }

    // ---------------------------------------------------------------- 2. self-assessment missed

    [Fact]
    public async Task Missing_the_self_assessment_deadline_ends_not_submitted()
    {
        DateTimeOffset started = DateTimeOffset.UtcNow;
        string id = await Start(Rules(selfAssessment: Short), started);

        EvaluationResult result = await Complete(id);
        Assert.Equal(new EvaluationResult(Outcomes.NotSubmitted, null, null), result);

        EvaluationChange only = Assert.Single(AssertSeqs(1));
        Assert.Equal("self-assessment-missed", only.Entry.Action);
        Assert.Equal(SystemActor.Instance.Id, only.Entry.Actor);
        Assert.Equal("no self-assessment by the deadline", only.Entry.Detail);
        Assert.Equal(Stages.Done, only.Stage);
        Assert.Equal(Outcomes.NotSubmitted, only.Outcome);
        Assert.True(only.ClearStageDeadline);
        Assert.Null(only.FinalScore);
        Assert.True(only.Entry.Time >= started + Short, $"missed at {only.Entry.Time:O}, before the deadline {started + Short:O}");
    }

    [Fact]
    public async Task A_submission_after_the_deadline_is_too_late()
    {
        string id = await Start(Rules(selfAssessment: Short));
        await Complete(id);
        await Raise(id, EvaluationEvents.SelfAssessmentSubmitted, Submit(0));
        await Task.Delay(500);

        OrchestrationMetadata after = (await host.Client.GetInstanceAsync(id, getInputsAndOutputs: true))!;
        Assert.Equal(OrchestrationRuntimeStatus.Completed, after.RuntimeStatus);
        Assert.Equal(Outcomes.NotSubmitted, after.ReadOutputAs<EvaluationResult>()!.Outcome);
        Assert.Equal("self-assessment-missed", Assert.Single(changes).Entry.Action);
    }

    [Fact]
    public async Task A_submission_accepted_before_the_deadline_counts_even_if_it_arrives_after_it()
    {
        DateTimeOffset startedAt = DateTimeOffset.UtcNow;
        string id = await Start(Rules(selfAssessment: Short), startedAt);
        await Task.Delay(Short + TimeSpan.FromMilliseconds(500)); // the deadline has passed; the grace has not
        await Raise(id, EvaluationEvents.SelfAssessmentSubmitted, Submit(0) with { At = startedAt + Short / 2 });

        await WaitForChanges(1);
        EvaluationChange first = changes.First();
        Assert.Equal("self-assessment-submitted", first.Entry.Action);
        Assert.Equal(Stages.AwaitingTownshipReview, first.Stage);
    }

    [Fact]
    public async Task A_submission_stamped_after_the_deadline_is_ignored_within_the_grace()
    {
        DateTimeOffset startedAt = DateTimeOffset.UtcNow;
        string id = await Start(Rules(selfAssessment: Short), startedAt);
        await Task.Delay(Short + TimeSpan.FromMilliseconds(500));
        await Raise(id, EvaluationEvents.SelfAssessmentSubmitted, Submit(0) with { At = startedAt + Short + TimeSpan.FromMilliseconds(1) });

        Assert.Equal(Outcomes.NotSubmitted, (await Complete(id)).Outcome);
        Assert.Equal("self-assessment-missed", Assert.Single(changes).Entry.Action);
    }

    [Fact]
    public async Task A_self_assessment_kept_in_the_outbox_counts_at_the_deadline_though_its_event_never_arrived()
    {
        DateTimeOffset startedAt = DateTimeOffset.UtcNow;
        SelfAssessmentSubmitted accepted = Submit(0) with { At = startedAt + Short / 2 };
        outbox[(EvaluationEvents.SelfAssessmentSubmitted, 0)] = AcceptedAction.Of("awaiting-self-assessment:0", accepted);
        string id = await Start(Rules(selfAssessment: Short), startedAt);

        // The workflow gives up waiting once the grace after the deadline is over, and then looks in the outbox.
        await WaitForChanges(1, seconds: (int)(Short + EvaluationOrchestrator.InFlightGrace).TotalSeconds + 10);
        EvaluationChange first = changes.First();
        Assert.Equal("self-assessment-submitted", first.Entry.Action);
        Assert.Equal(accepted.At, first.Entry.Time);
        Assert.Equal(Stages.AwaitingTownshipReview, first.Stage);
        Assert.Equal(accepted.Assessment.Summary, first.Submission!.Assessment.Summary);
        Assert.Equal(accepted.Assessment.Scores, first.Submission.Assessment.Scores);
        Assert.Equal(Secretary, first.Submission.By);

        // It goes on as if the event had arrived.
        await Raise(id, EvaluationEvents.TownshipReviewed, Review(0, ReviewDecisions.Reject));
        Assert.Equal(Outcomes.Rejected, (await Complete(id)).Outcome);
    }

    [Fact]
    public async Task An_outbox_self_assessment_stamped_after_the_deadline_does_not_count()
    {
        DateTimeOffset startedAt = DateTimeOffset.UtcNow;
        outbox[(EvaluationEvents.SelfAssessmentSubmitted, 0)] =
            AcceptedAction.Of("awaiting-self-assessment:0", Submit(0) with { At = startedAt + Short + TimeSpan.FromMilliseconds(1) });
        string id = await Start(Rules(selfAssessment: Short), startedAt);

        Assert.Equal(Outcomes.NotSubmitted, (await Complete(id)).Outcome);
        Assert.Equal("self-assessment-missed", Assert.Single(changes).Entry.Action);
    }

    [Fact]
    public async Task A_version_0_evaluation_makes_no_new_call_at_the_deadline_so_it_replays_as_recorded()
    {
        DateTimeOffset startedAt = DateTimeOffset.UtcNow;
        outbox[(EvaluationEvents.SelfAssessmentSubmitted, 0)] =
            AcceptedAction.Of("awaiting-self-assessment:0", Submit(0) with { At = startedAt + Short / 2 });
        string id = await Start(Rules(selfAssessment: Short), startedAt, version: 0);

        Assert.Equal(Outcomes.NotSubmitted, (await Complete(id)).Outcome);
        Assert.Equal("self-assessment-missed", Assert.Single(changes).Entry.Action);
    }

    // ---------------------------------------------------------------- 3. township review overdue

    [Fact]
    public async Task Township_review_overdue_is_flagged_then_an_escalated_review_continues_to_scored()
    {
        string id = await Start(Rules(townshipReview: Short));
        await Raise(id, EvaluationEvents.SelfAssessmentSubmitted, Submit(0));

        await WaitForChanges(2);
        EvaluationChange overdue = changes.ElementAt(1);
        Assert.Equal("township-review-overdue", overdue.Entry.Action);
        Assert.Equal(true, overdue.Overdue);
        Assert.Equal(SystemActor.Instance.Id, overdue.Entry.Actor);
        Assert.Null(overdue.Stage);                 // still awaiting the township review
        Assert.True(overdue.Entry.Time >= changes.ElementAt(0).StageDeadline!.Value,
            $"flagged at {overdue.Entry.Time:O}, before the review deadline {changes.ElementAt(0).StageDeadline:O}");
        await AssertStillRunning(id, TimeSpan.FromMilliseconds(300));

        // Past the deadline a county scorer in scope reviews instead of the township.
        await Raise(id, EvaluationEvents.TownshipReviewed, Review(0, ReviewDecisions.Approve, Scorer2));
        await Raise(id, EvaluationEvents.CountyScored, Score(0, Scorer1, 20, 20, 20, 20));

        EvaluationResult result = await Complete(id);
        // 20 × 3 + 1.5 × 20 = 90; 100 × 90 / 112.5 = 80.00; unity 20 / 25 = 0.8
        Assert.Equal(new EvaluationResult(Outcomes.Scored, 80m, 0.8m), result);

        EvaluationChange[] c = AssertSeqs(4);
        Assert.Equal(["self-assessment-submitted", "township-review-overdue", "township-approved", "county-scored"],
            c.Select(x => x.Entry.Action));
        Assert.Equal([false, true, false, null], c.Select(x => x.Overdue));
        Assert.Equal(Scorer2.Id, c[2].Entry.Actor);
        Assert.Equal(Scorer2.Role, c[2].Entry.Role);
        Assert.Equal(Stages.AwaitingCountyScore, c[2].Stage);
        Assert.Equal(Stages.Done, c[3].Stage);
    }

    // ---------------------------------------------------------------- 4. county scoring overdue

    [Fact]
    public async Task County_scoring_overdue_is_flagged_then_the_org_department_scores()
    {
        string id = await Start(Rules(countyScoring: Short));
        await Raise(id, EvaluationEvents.SelfAssessmentSubmitted, Submit(0));
        await Raise(id, EvaluationEvents.TownshipReviewed, Review(0, ReviewDecisions.Approve));

        await WaitForChanges(3);
        EvaluationChange overdue = changes.ElementAt(2);
        Assert.Equal("county-scoring-overdue", overdue.Entry.Action);
        Assert.Equal(true, overdue.Overdue);
        Assert.Null(overdue.Stage);
        Assert.True(overdue.Entry.Time >= changes.ElementAt(1).StageDeadline!.Value);
        await AssertStillRunning(id, TimeSpan.FromMilliseconds(300));

        // organization 25, education 15, service 10, unity 12.5:
        //   weighted points = 25 + 15 + 10 + 1.5 × 12.5 = 50 + 18.75 = 68.75
        //   final = 100 × 68.75 / 112.5 = 61.1111… → 61.11; unity share = 12.5 / 25 = 0.5
        await Raise(id, EvaluationEvents.CountyScored, Score(0, OrgDepartment, 25, 15, 10, 12.5m));

        EvaluationResult result = await Complete(id);
        Assert.Equal(new EvaluationResult(Outcomes.Scored, 61.11m, 0.5m), result);

        EvaluationChange[] c = AssertSeqs(4);
        Assert.Equal(["self-assessment-submitted", "township-approved", "county-scoring-overdue", "county-scored"],
            c.Select(x => x.Entry.Action));
        Assert.Equal([false, false, true, null], c.Select(x => x.Overdue));
        Assert.Equal(OrgDepartment.Id, c[3].Entry.Actor);
        Assert.Equal(OrgDepartment.Role, c[3].AddScore!.By.Role);
        Assert.Equal(Outcomes.Scored, c[3].Outcome);
    }

    [Fact]
    public async Task County_scoring_overdue_is_flagged_once_even_with_several_scorers()
    {
        string id = await Start(Rules(countyScoring: Short, scorersPerBranch: 2));
        await Raise(id, EvaluationEvents.SelfAssessmentSubmitted, Submit(0));
        await Raise(id, EvaluationEvents.TownshipReviewed, Review(0, ReviewDecisions.Approve));
        await WaitForChanges(3);
        Assert.Equal("county-scoring-overdue", changes.ElementAt(2).Entry.Action);

        // The first scorer comes after the deadline; the second one a little later.
        await Raise(id, EvaluationEvents.CountyScored, Score(0, Scorer1, 20, 20, 20, 20));
        await WaitForChanges(4);
        await Task.Delay(700);
        await Raise(id, EvaluationEvents.CountyScored, Score(0, Scorer2, 20, 20, 20, 20));

        EvaluationResult result = await Complete(id);
        Assert.Equal(new EvaluationResult(Outcomes.Scored, 80m, 0.8m), result);
        Assert.Equal(["self-assessment-submitted", "township-approved", "county-scoring-overdue", "county-scored", "county-scored"],
            AssertSeqs(changes.Count).Select(x => x.Entry.Action));
    }

    // ---------------------------------------------------------------- 5. return and resubmit

    [Fact]
    public async Task A_returned_self_assessment_is_resubmitted_in_round_1_and_then_scored()
    {
        string id = await Start(Rules());
        await Raise(id, EvaluationEvents.SelfAssessmentSubmitted, Submit(0));
        await Raise(id, EvaluationEvents.TownshipReviewed, Review(0, ReviewDecisions.Return, comment: "evidence missing"));

        await WaitForChanges(2);
        EvaluationChange returned = changes.ElementAt(1);
        Assert.Equal("township-returned", returned.Entry.Action);
        Assert.Equal("evidence missing", returned.Entry.Detail);
        Assert.Equal(1, returned.Round);
        Assert.Equal(Stages.AwaitingSelfAssessment, returned.Stage);
        Assert.Equal(false, returned.Overdue);
        Assert.Equal(0, returned.Review!.Round);
        Assert.Equal(ReviewDecisions.Return, returned.Review.Review.Decision);
        AssertNear(DateTimeOffset.UtcNow + Long, returned.StageDeadline!.Value, TimeSpan.FromSeconds(30));

        await Raise(id, EvaluationEvents.SelfAssessmentSubmitted, Submit(1));
        await Raise(id, EvaluationEvents.TownshipReviewed, Review(1, ReviewDecisions.Approve));
        await Raise(id, EvaluationEvents.CountyScored, Score(1, Scorer1, 20, 20, 20, 20));

        EvaluationResult result = await Complete(id);
        Assert.Equal(new EvaluationResult(Outcomes.Scored, 80m, 0.8m), result);

        EvaluationChange[] c = AssertSeqs(5);
        Assert.Equal(["self-assessment-submitted", "township-returned", "self-assessment-submitted", "township-approved", "county-scored"],
            c.Select(x => x.Entry.Action));
        Assert.Equal(
            [
                Stages.AwaitingTownshipReview, Stages.AwaitingSelfAssessment, Stages.AwaitingTownshipReview, Stages.AwaitingCountyScore,
                Stages.Done,
            ],
            c.Select(x => x.Stage));
        Assert.Equal(0, c[0].Submission!.Round);
        Assert.Equal("round 0", c[0].Entry.Detail);
        Assert.Equal(1, c[2].Submission!.Round);
        Assert.Equal("round 1", c[2].Entry.Detail);
        Assert.Equal(1, c[3].Review!.Round);
    }

    [Fact]
    public async Task Missing_the_resubmission_deadline_after_a_return_ends_not_submitted()
    {
        string id = await Start(Rules(selfAssessment: TimeSpan.FromSeconds(2)));
        await Raise(id, EvaluationEvents.SelfAssessmentSubmitted, Submit(0));
        await Raise(id, EvaluationEvents.TownshipReviewed, Review(0, ReviewDecisions.Return));

        EvaluationResult result = await Complete(id);
        Assert.Equal(new EvaluationResult(Outcomes.NotSubmitted, null, null), result);

        EvaluationChange[] c = AssertSeqs(3);
        Assert.Equal(["self-assessment-submitted", "township-returned", "self-assessment-missed"], c.Select(x => x.Entry.Action));
        Assert.Equal("not resubmitted by the deadline", c[2].Entry.Detail);
        Assert.True(c[2].Entry.Time >= c[1].StageDeadline!.Value,
            $"missed at {c[2].Entry.Time:O}, before the resubmission deadline {c[1].StageDeadline:O}");
    }

    // ---------------------------------------------------------------- 6. return limit

    [Fact]
    public async Task A_return_beyond_max_returns_is_ignored_and_the_orchestration_keeps_waiting()
    {
        string id = await Start(Rules(maxReturns: 1));
        await Raise(id, EvaluationEvents.SelfAssessmentSubmitted, Submit(0));
        await Raise(id, EvaluationEvents.TownshipReviewed, Review(0, ReviewDecisions.Return));
        await Raise(id, EvaluationEvents.SelfAssessmentSubmitted, Submit(1));
        await WaitForChanges(3);

        // Round 1 = the limit: a second return does not count.
        await Raise(id, EvaluationEvents.TownshipReviewed, Review(1, ReviewDecisions.Return));
        await AssertStillRunning(id, TimeSpan.FromSeconds(1));
        Assert.Equal(3, changes.Count);

        await Raise(id, EvaluationEvents.TownshipReviewed, Review(1, ReviewDecisions.Approve));
        await WaitForChanges(4);
        Assert.Equal("township-approved", changes.ElementAt(3).Entry.Action);
        Assert.Equal(Stages.AwaitingCountyScore, changes.ElementAt(3).Stage);

        await Raise(id, EvaluationEvents.CountyScored, Score(1, Scorer1, 25, 25, 25, 25));
        EvaluationResult result = await Complete(id);
        Assert.Equal(new EvaluationResult(Outcomes.Scored, 100m, 1m), result);
        Assert.Equal(["self-assessment-submitted", "township-returned", "self-assessment-submitted", "township-approved", "county-scored"],
            AssertSeqs(5).Select(x => x.Entry.Action));
    }

    // ---------------------------------------------------------------- 7. stale events

    [Fact]
    public async Task A_self_assessment_for_the_wrong_round_is_ignored()
    {
        string id = await Start(Rules());
        await Raise(id, EvaluationEvents.SelfAssessmentSubmitted, Submit(1));
        await AssertStillRunning(id, TimeSpan.FromMilliseconds(700));
        Assert.Empty(changes);

        await Raise(id, EvaluationEvents.SelfAssessmentSubmitted, Submit(0));
        await WaitForChanges(1);
        Assert.Equal(0, changes.Single().Submission!.Round);
        await Raise(id, EvaluationEvents.TownshipReviewed, Review(0, ReviewDecisions.Reject));
        Assert.Equal(Outcomes.Rejected, (await Complete(id)).Outcome);
        AssertSeqs(2);
    }

    [Fact]
    public async Task A_late_round_0_submission_after_a_return_is_ignored()
    {
        string id = await Start(Rules());
        await Raise(id, EvaluationEvents.SelfAssessmentSubmitted, Submit(0));
        await Raise(id, EvaluationEvents.TownshipReviewed, Review(0, ReviewDecisions.Return));
        await WaitForChanges(2);

        // A duplicate of the first submission and a stale round-0 review slip through after the return.
        await Raise(id, EvaluationEvents.SelfAssessmentSubmitted, Submit(0));
        await AssertStillRunning(id, TimeSpan.FromMilliseconds(700));
        Assert.Equal(2, changes.Count);

        await Raise(id, EvaluationEvents.SelfAssessmentSubmitted, Submit(1));
        await Raise(id, EvaluationEvents.TownshipReviewed, Review(0, ReviewDecisions.Reject));
        await WaitForChanges(3);
        await AssertStillRunning(id, TimeSpan.FromMilliseconds(700));
        Assert.Equal(3, changes.Count);
        Assert.Equal(1, changes.ElementAt(2).Submission!.Round);

        await Raise(id, EvaluationEvents.TownshipReviewed, Review(1, ReviewDecisions.Approve));
        await Raise(id, EvaluationEvents.CountyScored, Score(0, Scorer1, 0, 0, 0, 0));   // stale round
        await Raise(id, EvaluationEvents.CountyScored, Score(1, Scorer1, 20, 20, 20, 20));
        Assert.Equal(new EvaluationResult(Outcomes.Scored, 80m, 0.8m), await Complete(id));
        Assert.Equal(["self-assessment-submitted", "township-returned", "self-assessment-submitted", "township-approved", "county-scored"],
            AssertSeqs(5).Select(x => x.Entry.Action));
    }

    // ---------------------------------------------------------------- 8. reject

    [Fact]
    public async Task A_rejected_self_assessment_ends_rejected()
    {
        string id = await Start(Rules());
        await Raise(id, EvaluationEvents.SelfAssessmentSubmitted, Submit(0));
        await Raise(id, EvaluationEvents.TownshipReviewed, Review(0, ReviewDecisions.Reject, comment: "fabricated evidence"));

        Assert.Equal(new EvaluationResult(Outcomes.Rejected, null, null), await Complete(id));
        EvaluationChange[] c = AssertSeqs(2);
        Assert.Equal(["self-assessment-submitted", "township-rejected"], c.Select(x => x.Entry.Action));
        Assert.Equal(Stages.Done, c[1].Stage);
        Assert.Equal(Outcomes.Rejected, c[1].Outcome);
        Assert.Equal("fabricated evidence", c[1].Entry.Detail);
        Assert.Equal(Reviewer.Id, c[1].Entry.Actor);
        Assert.Equal(ReviewDecisions.Reject, c[1].Review!.Review.Decision);
        Assert.True(c[1].ClearStageDeadline);
        Assert.Null(c[1].FinalScore);
    }

    // ---------------------------------------------------------------- 9. veto

    [Fact]
    public async Task A_county_score_with_a_veto_ends_vetoed()
    {
        string id = await Start(Rules());
        await Raise(id, EvaluationEvents.SelfAssessmentSubmitted, Submit(0));
        await Raise(id, EvaluationEvents.TownshipReviewed, Review(0, ReviewDecisions.Approve));
        await Raise(id, EvaluationEvents.CountyScored, Score(0, Scorer1, 25, 25, 25, 25, veto: "ethnic-incident"));

        EvaluationResult result = await Complete(id);
        Assert.Equal(Outcomes.Vetoed, result.Outcome);
        EvaluationChange[] c = AssertSeqs(3);
        Assert.Equal(Outcomes.Vetoed, c[2].Outcome);
        Assert.Equal(Stages.Done, c[2].Stage);
        Assert.Equal("county-scored", c[2].Entry.Action);
        Assert.Equal("veto: ethnic-incident", c[2].Entry.Detail);
        Assert.Equal("ethnic-incident", c[2].AddScore!.Score.Veto);
    }

    [Fact]
    public async Task A_veto_by_one_of_three_scorers_vetoes_the_branch()
    {
        string id = await Start(Rules(scorersPerBranch: 3));
        await Raise(id, EvaluationEvents.SelfAssessmentSubmitted, Submit(0));
        await Raise(id, EvaluationEvents.TownshipReviewed, Review(0, ReviewDecisions.Approve));
        await Raise(id, EvaluationEvents.CountyScored, Score(0, Scorer1, 25, 25, 25, 25));
        await Raise(id, EvaluationEvents.CountyScored, Score(0, Scorer2, 20, 20, 20, 20, veto: "ethnic-incident"));
        await Raise(id, EvaluationEvents.CountyScored, Score(0, Scorer3, 25, 25, 25, 25));

        Assert.Equal(Outcomes.Vetoed, (await Complete(id)).Outcome);
        EvaluationChange[] c = AssertSeqs(5);
        Assert.Equal("veto: ethnic-incident", c[3].Entry.Detail);
        Assert.Null(c[3].Outcome);
        Assert.Equal(Outcomes.Vetoed, c[4].Outcome);
        Assert.Equal("scorer 3 of 3", c[4].Entry.Detail);
    }

    // ---------------------------------------------------------------- 10. several scorers

    [Fact]
    public async Task Three_scorers_give_the_mean_and_a_repeated_scorer_is_ignored()
    {
        string id = await Start(Rules(scorersPerBranch: 3));
        await Raise(id, EvaluationEvents.SelfAssessmentSubmitted, Submit(0));
        await Raise(id, EvaluationEvents.TownshipReviewed, Review(0, ReviewDecisions.Approve));
        await Raise(id, EvaluationEvents.CountyScored, Score(0, Scorer1, 20, 20, 20, 20));
        await Raise(id, EvaluationEvents.CountyScored, Score(0, Scorer2, 22, 18, 19, 24));
        // Scorer 2 again, with other points: it must neither count as the third scorer nor replace the first score.
        await Raise(id, EvaluationEvents.CountyScored, Score(0, Scorer2, 0, 0, 0, 0));

        await WaitForChanges(4);
        await AssertStillRunning(id, TimeSpan.FromSeconds(1));
        Assert.Equal(4, changes.Count);
        Assert.Equal(["scorer 1 of 3", "scorer 2 of 3"], changes.Skip(2).Select(x => x.Entry.Detail));
        Assert.All(changes.Skip(2), x => Assert.Null(x.Outcome));
        Assert.All(changes.Skip(2), x => Assert.Null(x.Stage));

        await Raise(id, EvaluationEvents.CountyScored, Score(0, Scorer3, 21, 22, 24, 25));

        // Means per criterion: organization (20 + 22 + 21) / 3 = 21, education (20 + 18 + 22) / 3 = 20,
        // service (20 + 19 + 24) / 3 = 21, unity (20 + 24 + 25) / 3 = 23.
        //   weighted points = 21 + 20 + 21 + 1.5 × 23 = 62 + 34.5 = 96.5
        //   final = 100 × 96.5 / 112.5 = 85.7777… → 85.78; unity share = 23 / 25 = 0.92
        // (Had the repeated zeros counted instead of scorer 3: means 14, 12.67, 13, 14.67 → 52.44.)
        EvaluationResult result = await Complete(id);
        Assert.Equal(new EvaluationResult(Outcomes.Scored, 85.78m, 0.92m), result);

        EvaluationChange[] c = AssertSeqs(5);
        Assert.Equal([Scorer1.Id, Scorer2.Id, Scorer3.Id], c.Skip(2).Select(x => x.AddScore!.By.Id));
        Assert.Equal("scorer 3 of 3", c[4].Entry.Detail);
        Assert.Equal(Outcomes.Scored, c[4].Outcome);
        Assert.Equal(85.78m, c[4].FinalScore);
    }

    // ---------------------------------------------------------------- 11. closed (forced publication)

    [Fact]
    public async Task Closed_while_awaiting_the_township_review_ends_not_evaluated()
    {
        string id = await Start(Rules());
        await Raise(id, EvaluationEvents.SelfAssessmentSubmitted, Submit(0));
        await WaitForChanges(1);
        DateTimeOffset closedAt = DateTimeOffset.UtcNow;
        await Raise(id, EvaluationEvents.Closed, new EvaluationClosed(OrgDepartment, closedAt));

        Assert.Equal(new EvaluationResult(Outcomes.NotEvaluated, null, null), await Complete(id));
        EvaluationChange[] c = AssertSeqs(2);
        Assert.Equal("closed", c[1].Entry.Action);
        Assert.Equal(OrgDepartment.Id, c[1].Entry.Actor);
        Assert.Equal(OrgDepartment.Role, c[1].Entry.Role);
        Assert.Equal(closedAt, c[1].Entry.Time);
        Assert.Equal(Stages.Done, c[1].Stage);
        Assert.Equal(Outcomes.NotEvaluated, c[1].Outcome);
        Assert.True(c[1].ClearStageDeadline);

        // A review after the close changes nothing.
        await Raise(id, EvaluationEvents.TownshipReviewed, Review(0, ReviewDecisions.Approve));
        await Task.Delay(300);
        Assert.Equal(2, changes.Count);
    }

    [Fact]
    public async Task Closed_while_awaiting_the_self_assessment_ends_not_evaluated()
    {
        string id = await Start(Rules());
        await Raise(id, EvaluationEvents.Closed, new EvaluationClosed(OrgDepartment, DateTimeOffset.UtcNow));

        Assert.Equal(new EvaluationResult(Outcomes.NotEvaluated, null, null), await Complete(id));
        EvaluationChange only = Assert.Single(AssertSeqs(1));
        Assert.Equal("closed", only.Entry.Action);
        Assert.Equal(Outcomes.NotEvaluated, only.Outcome);
    }

    [Fact]
    public async Task Closed_after_one_of_two_scores_ends_not_evaluated_without_a_score()
    {
        string id = await Start(Rules(scorersPerBranch: 2));
        await Raise(id, EvaluationEvents.SelfAssessmentSubmitted, Submit(0));
        await Raise(id, EvaluationEvents.TownshipReviewed, Review(0, ReviewDecisions.Approve));
        await Raise(id, EvaluationEvents.CountyScored, Score(0, Scorer1, 20, 20, 20, 20));
        await WaitForChanges(3);
        await Raise(id, EvaluationEvents.Closed, new EvaluationClosed(OrgDepartment, DateTimeOffset.UtcNow));

        Assert.Equal(new EvaluationResult(Outcomes.NotEvaluated, null, null), await Complete(id));
        EvaluationChange[] c = AssertSeqs(4);
        Assert.Equal(["self-assessment-submitted", "township-approved", "county-scored", "closed"], c.Select(x => x.Entry.Action));
        Assert.Null(c[3].FinalScore);
        Assert.Null(c[3].AddScore);
    }

    [Fact]
    public async Task Closed_during_an_escalated_township_review_ends_not_evaluated()
    {
        string id = await Start(Rules(townshipReview: Short));
        await Raise(id, EvaluationEvents.SelfAssessmentSubmitted, Submit(0));
        await WaitForChanges(2);
        Assert.Equal("township-review-overdue", changes.ElementAt(1).Entry.Action);
        await Raise(id, EvaluationEvents.Closed, new EvaluationClosed(OrgDepartment, DateTimeOffset.UtcNow));

        Assert.Equal(Outcomes.NotEvaluated, (await Complete(id)).Outcome);
        Assert.Equal(["self-assessment-submitted", "township-review-overdue", "closed"], AssertSeqs(3).Select(x => x.Entry.Action));
    }

    // ---------------------------------------------------------------- the members' appraisal

    static readonly AppraisalDefinition Appraisal = new("PT3S",
        [new AppraisalChoice("satisfied", "满意", 100), new AppraisalChoice("fair", "基本满意", 80),
         new AppraisalChoice("dissatisfied", "不满意", 0)], MinParticipation: 0.6667m);

    static EvaluationRules WithAppraisal(EvaluationRules rules, string window = "PT3S") => rules with
    {
        Rubric = rules.Rubric with
        {
            Components = [new ScoreComponent(ScoreComponents.Basic, 0.7m), new ScoreComponent(ScoreComponents.Appraisal, 0.3m)],
        },
        Appraisal = Appraisal with { Window = window },
    };

    [Fact]
    public async Task The_appraisal_closes_during_the_township_review_without_holding_it_up_and_counts_in_the_score()
    {
        string id = await Start(WithAppraisal(Rules()));
        SelfAssessmentSubmitted submitted = Submit(0);
        await Raise(id, EvaluationEvents.SelfAssessmentSubmitted, submitted);
        // Its window closes while the township has not reviewed: counted and recorded there, the stage unchanged.
        await WaitForChanges(2, seconds: 20);
        await Raise(id, EvaluationEvents.TownshipReviewed, Review(0, ReviewDecisions.Approve));
        await Raise(id, EvaluationEvents.CountyScored, Score(0, Scorer1, 24, 24, 24, 24));

        // base 96; 0.7 × 96 + 0.3 × 460 / 6 = 67.2 + 23 = 90.2
        Assert.Equal(90.2m, (await Complete(id)).FinalScore);
        EvaluationChange[] c = AssertSeqs(4);
        Assert.Equal(["self-assessment-submitted", HistoryActions.AppraisalClosed, "township-approved", "county-scored"],
            c.Select(x => x.Entry.Action));
        Assert.Equal(submitted.At, c[0].AppraisalOpensAt);
        Assert.Null(c[1].Stage);
        Assert.Equal((6, true, 0.7667m), (c[1].Appraisal!.Ballots, c[1].Appraisal!.Valid, c[1].Appraisal!.Satisfaction));
        Assert.Equal("6 of 6 voted (100.00%); satisfaction 76.67%: 满意 3, 基本满意 2, 不满意 1", c[1].Entry.Detail);
        Assert.True(Assert.Single(appraisalsClosed) >= submitted.At + TimeSpan.FromSeconds(3));
        Assert.Equal(23m, c[3].Breakdown!.Components.Single(x => x.Kind == ScoreComponents.Appraisal).Weighted);
    }

    [Fact]
    public async Task A_score_before_the_appraisal_closes_waits_for_it()
    {
        string id = await Start(WithAppraisal(Rules(), window: "PT6S"));
        await Raise(id, EvaluationEvents.SelfAssessmentSubmitted, Submit(0));
        await Raise(id, EvaluationEvents.TownshipReviewed, Review(0, ReviewDecisions.Approve));
        await Raise(id, EvaluationEvents.CountyScored, Score(0, Scorer1, 24, 24, 24, 24));
        await WaitForChanges(3);
        Assert.Equal(Stages.AwaitingAppraisal, changes.ElementAt(2).Stage);
        Assert.Empty(appraisalsClosed);

        Assert.Equal(90.2m, (await Complete(id)).FinalScore);
        EvaluationChange[] c = AssertSeqs(4);
        Assert.Equal(["self-assessment-submitted", "township-approved", "county-scored", HistoryActions.AppraisalClosed],
            c.Select(x => x.Entry.Action));
        Assert.Equal(Scorer1.Id, c[2].AddScore!.By.Id);
        // The close finishes the evaluation: its change carries the count and the score together.
        Assert.Equal((Stages.Done, Outcomes.Scored, 90.2m), (c[3].Stage, c[3].Outcome, c[3].FinalScore));
        Assert.NotNull(c[3].Appraisal);
        Assert.Null(c[3].AddScore);
    }

    [Fact]
    public async Task A_version_1_evaluation_takes_no_appraisal_so_it_replays_as_recorded()
    {
        string id = await Start(WithAppraisal(Rules(), window: "PT1S"), version: 1);
        await Raise(id, EvaluationEvents.SelfAssessmentSubmitted, Submit(0));
        await Raise(id, EvaluationEvents.TownshipReviewed, Review(0, ReviewDecisions.Approve));
        await Raise(id, EvaluationEvents.CountyScored, Score(0, Scorer1, 24, 24, 24, 24));

        // Without the appraisal its component counts 0: 0.7 × 96.
        Assert.Equal(67.2m, (await Complete(id)).FinalScore);
        Assert.Equal(["self-assessment-submitted", "township-approved", "county-scored"], AssertSeqs(3).Select(x => x.Entry.Action));
        Assert.Empty(appraisalsClosed);
    }

    [Fact]
    public async Task Closed_while_waiting_for_the_appraisal_seals_the_box_and_ends_not_evaluated_uncounted()
    {
        string id = await Start(WithAppraisal(Rules(), window: "PT1M"));
        await Raise(id, EvaluationEvents.SelfAssessmentSubmitted, Submit(0));
        await Raise(id, EvaluationEvents.TownshipReviewed, Review(0, ReviewDecisions.Approve));
        await Raise(id, EvaluationEvents.CountyScored, Score(0, Scorer1, 24, 24, 24, 24));
        await WaitForChanges(3);
        await Raise(id, EvaluationEvents.Closed, new EvaluationClosed(OrgDepartment, DateTimeOffset.UtcNow));
        await WaitForChanges(4, seconds: 20);

        Assert.Equal(Outcomes.NotEvaluated, (await Complete(id)).Outcome);
        EvaluationChange closedChange = AssertSeqs(4)[3];
        Assert.Equal("closed", closedChange.Entry.Action);
        Assert.Null(closedChange.Appraisal);
        // The box is sealed (no ballot counts for an evaluation that has ended), its count not recorded.
        Assert.Single(appraisalsClosed);
    }

    // ---------------------------------------------------------------- 9. supervision (version 3): urgings and extensions

    [Fact]
    public async Task An_urging_is_recorded_once_however_often_it_is_raised_and_the_step_still_waits()
    {
        string id = await Start(Rules());
        Supervision urge = Urge(Stages.AwaitingSelfAssessment, 0);
        await Raise(id, EvaluationEvents.Supervised, urge);
        await Raise(id, EvaluationEvents.Supervised, urge); // raised again by the sweep: taken in once
        await WaitForChanges(1);
        await Raise(id, EvaluationEvents.SelfAssessmentSubmitted, Submit(0));
        await Raise(id, EvaluationEvents.TownshipReviewed, Review(0, ReviewDecisions.Reject));

        Assert.Equal(Outcomes.Rejected, (await Complete(id)).Outcome);
        EvaluationChange[] c = AssertSeqs(3);
        Assert.Equal(["urged", "self-assessment-submitted", "township-rejected"], c.Select(x => x.Entry.Action));
        Assert.Equal(OrgDepartment.Id, c[0].Entry.Actor);
        Assert.Equal(urge.At, c[0].Entry.Time);
        Assert.Equal(urge, c[0].Supervised);
        Assert.True(c[0].SupervisedInEffect);
        Assert.Null(c[0].StageDeadline);
        Assert.Null(c[0].Stage);
        Assert.Contains("请尽快提交", c[0].Entry.Detail);
    }

    [Fact]
    public async Task An_extension_re_arms_the_timer_so_the_step_is_taken_after_the_old_deadline_and_not_flagged()
    {
        string id = await Start(Rules(townshipReview: TimeSpan.FromSeconds(2)));
        await Raise(id, EvaluationEvents.SelfAssessmentSubmitted, Submit(0));
        await WaitForChanges(1);
        DateTimeOffset oldDeadline = changes.First().StageDeadline!.Value;
        DateTimeOffset extended = oldDeadline + TimeSpan.FromSeconds(6);
        await Raise(id, EvaluationEvents.Supervised, Extension(Stages.AwaitingTownshipReview, 0, extended));
        await WaitForChanges(2);

        // Past the old deadline: no overdue flag, and the township still reviews.
        await Task.Delay(oldDeadline - DateTimeOffset.UtcNow + TimeSpan.FromSeconds(1.5));
        Assert.Equal(2, changes.Count);
        await Raise(id, EvaluationEvents.TownshipReviewed, Review(0, ReviewDecisions.Reject));

        Assert.Equal(Outcomes.Rejected, (await Complete(id)).Outcome);
        EvaluationChange[] c = AssertSeqs(3);
        Assert.Equal(["self-assessment-submitted", "deadline-extended", "township-rejected"], c.Select(x => x.Entry.Action));
        Assert.Equal(extended, c[1].StageDeadline);
        Assert.Equal(false, c[1].Overdue);
        Assert.True(c[1].SupervisedInEffect);
        Assert.True(c[2].Entry.Time > oldDeadline, "the review came after the old deadline");
    }

    [Fact]
    public async Task An_extension_after_the_step_is_overdue_clears_the_flag_and_a_missed_new_deadline_flags_it_again()
    {
        string id = await Start(Rules(townshipReview: Short));
        await Raise(id, EvaluationEvents.SelfAssessmentSubmitted, Submit(0));
        await WaitForChanges(2);
        Assert.Equal("township-review-overdue", changes.ElementAt(1).Entry.Action);

        DateTimeOffset extended = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(2);
        await Raise(id, EvaluationEvents.Supervised, Extension(Stages.AwaitingTownshipReview, 0, extended));
        await WaitForChanges(4, seconds: 15);
        await Raise(id, EvaluationEvents.TownshipReviewed, Review(0, ReviewDecisions.Reject, by: Scorer1));

        Assert.Equal(Outcomes.Rejected, (await Complete(id)).Outcome);
        EvaluationChange[] c = AssertSeqs(5);
        Assert.Equal(["self-assessment-submitted", "township-review-overdue", "deadline-extended", "township-review-overdue",
            "township-rejected"], c.Select(x => x.Entry.Action));
        Assert.Equal(false, c[2].Overdue);
        Assert.Equal(extended, c[2].StageDeadline);
        Assert.Equal(true, c[3].Overdue);
        Assert.True(c[3].Entry.Time >= extended, $"flagged again at {c[3].Entry.Time:O}, before {extended:O}");
    }

    [Fact]
    public async Task A_self_assessment_extended_before_its_deadline_is_accepted_after_the_old_one()
    {
        DateTimeOffset startedAt = DateTimeOffset.UtcNow;
        string id = await Start(Rules(selfAssessment: Short), startedAt);
        DateTimeOffset extended = startedAt + TimeSpan.FromSeconds(30);
        await Raise(id, EvaluationEvents.Supervised, Extension(Stages.AwaitingSelfAssessment, 0, extended) with { At = startedAt });
        await WaitForChanges(1);
        await Task.Delay(Short + TimeSpan.FromSeconds(1));
        await Raise(id, EvaluationEvents.SelfAssessmentSubmitted, Submit(0)); // stamped after the old deadline, before the new
        await WaitForChanges(2);

        EvaluationChange[] c = AssertSeqs(2);
        Assert.Equal(["deadline-extended", "self-assessment-submitted"], c.Select(x => x.Entry.Action));
        Assert.Equal(extended, c[0].StageDeadline);
        Assert.Equal(Stages.AwaitingTownshipReview, c[1].Stage);
    }

    [Fact]
    public async Task An_extension_kept_on_the_record_whose_event_was_lost_is_taken_at_the_missed_deadline()
    {
        string id = await Start(Rules(townshipReview: Short));
        await Raise(id, EvaluationEvents.SelfAssessmentSubmitted, Submit(0));
        await WaitForChanges(1);
        DateTimeOffset extended = changes.First().StageDeadline!.Value + TimeSpan.FromSeconds(30);
        keptExtensions[(Stages.AwaitingTownshipReview, 0)] =
            Extension(Stages.AwaitingTownshipReview, 0, extended) with { At = changes.First().Entry.Time };

        await WaitForChanges(2);
        await Task.Delay(300);
        EvaluationChange taken = changes.ElementAt(1);
        Assert.Equal("deadline-extended", taken.Entry.Action);
        Assert.Equal(extended, taken.StageDeadline);
        Assert.Equal(2, changes.Count); // not flagged overdue
        FindExtensionInput asked = Assert.Single(extensionQuestions);
        Assert.Equal(Stages.AwaitingTownshipReview, asked.Stage);
        await AssertStillRunning(id, TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public async Task An_urging_that_comes_after_its_step_moved_on_is_recorded_as_such_and_tells_no_one()
    {
        string id = await Start(Rules());
        await Raise(id, EvaluationEvents.SelfAssessmentSubmitted, Submit(0));
        await WaitForChanges(1);
        await Raise(id, EvaluationEvents.Supervised, Urge(Stages.AwaitingSelfAssessment, 0));
        await WaitForChanges(2);

        EvaluationChange late = changes.ElementAt(1);
        Assert.Equal("urged", late.Entry.Action);
        Assert.False(late.SupervisedInEffect);
        Assert.EndsWith("the step had moved on", late.Entry.Detail);
    }

    [Fact]
    public async Task A_version_2_evaluation_takes_no_supervision_and_asks_nothing_at_its_deadline()
    {
        string id = await Start(Rules(townshipReview: Short), version: 2);
        await Raise(id, EvaluationEvents.SelfAssessmentSubmitted, Submit(0));
        await Raise(id, EvaluationEvents.Supervised, Extension(Stages.AwaitingTownshipReview, 0, DateTimeOffset.UtcNow.AddMinutes(5)));
        keptExtensions[(Stages.AwaitingTownshipReview, 0)] =
            Extension(Stages.AwaitingTownshipReview, 0, DateTimeOffset.UtcNow.AddMinutes(5));
        await WaitForChanges(2);
        await Task.Delay(500);
        await Raise(id, EvaluationEvents.TownshipReviewed, Review(0, ReviewDecisions.Reject, by: Scorer1));

        Assert.Equal(Outcomes.Rejected, (await Complete(id)).Outcome);
        Assert.Equal(["self-assessment-submitted", "township-review-overdue", "township-rejected"],
            AssertSeqs(3).Select(x => x.Entry.Action));
        Assert.Empty(extensionQuestions);
    }

    // ---------------------------------------------------------------- helpers

    static Supervision Urge(string stage, int round) => new("sup-" + Guid.NewGuid().ToString("N"), SupervisionKinds.Urge, stage, round,
        OrgDepartment, DateTimeOffset.UtcNow, "请尽快提交自评材料。");

    static Supervision Extension(string stage, int round, DateTimeOffset deadline) => new("sup-" + Guid.NewGuid().ToString("N"),
        SupervisionKinds.Extension, stage, round, OrgDepartment, DateTimeOffset.UtcNow, "因防汛工作延期") { Deadline = deadline };

    static EvaluationRules Rules(TimeSpan? selfAssessment = null, TimeSpan? townshipReview = null, TimeSpan? countyScoring = null,
        int maxReturns = 2, int scorersPerBranch = 1) =>
        new(Rubric, selfAssessment ?? Long, townshipReview ?? Long, countyScoring ?? Long, maxReturns, scorersPerBranch);

    static Dictionary<string, decimal> Points(decimal organization, decimal education, decimal service, decimal unity) => new()
    {
        ["organization"] = organization, ["education"] = education, ["service"] = service, ["unity"] = unity,
    };

    static SelfAssessmentSubmitted Submit(int round) =>
        new(round, new SelfAssessment(Points(20, 20, 20, 20), $"summary, round {round}",
            [new Evidence("unity", "活动记录", "https://example.org/e1")]), Secretary, DateTimeOffset.UtcNow);

    static TownshipReviewed Review(int round, string decision, Actor? by = null, string? comment = null) =>
        new(round, new TownshipReview(decision, comment), by ?? Reviewer, DateTimeOffset.UtcNow);

    static CountyScored Score(
        int round, Actor by, decimal organization, decimal education, decimal service, decimal unity, string? veto = null) =>
        new(round, new CountyScore(Points(organization, education, service, unity), veto, null), by, DateTimeOffset.UtcNow);

    async Task<string> Start(EvaluationRules rules, DateTimeOffset? startedAt = null, int version = EvaluationInput.CurrentVersion)
    {
        var input = new EvaluationInput(CampaignId, BranchId, startedAt ?? DateTimeOffset.UtcNow, rules) { Version = version };
        return await host.Client.ScheduleNewOrchestrationInstanceAsync(TaskNames.EvaluationOrchestrator, input,
            new StartOrchestrationOptions(InstanceIds.Evaluation(CampaignId, BranchId)));
    }

    Task Raise(string id, string name, object payload) => host.Client.RaiseEventAsync(id, name, payload);

    async Task<EvaluationResult> Complete(string id)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(40));
        OrchestrationMetadata m = await host.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, timeout.Token);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, m.RuntimeStatus);
        return m.ReadOutputAs<EvaluationResult>()!;
    }

    async Task AssertStillRunning(string id, TimeSpan wait)
    {
        // Under load the first episode may not have run yet: wait for it, then give the event time to be processed.
        using var started = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await host.Client.WaitForInstanceStartAsync(id, started.Token);
        await Task.Delay(wait);
        OrchestrationMetadata m = (await host.Client.GetInstanceAsync(id))!;
        Assert.Equal(OrchestrationRuntimeStatus.Running, m.RuntimeStatus);
    }

    async Task WaitForChanges(int count, int seconds = 10)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        while (changes.Count < count)
        {
            if (timeout.IsCancellationRequested)
                Assert.Fail($"{count} changes expected, {changes.Count} recorded: " +
                    string.Join(", ", changes.Select(c => c.Entry.Action)));
            await Task.Delay(25);
        }
    }

    /// <summary>Exactly <paramref name="count"/> changes, numbered 1, 2, 3… in the order they were recorded.</summary>
    EvaluationChange[] AssertSeqs(int count)
    {
        EvaluationChange[] all = changes.ToArray();
        Assert.Equal(Enumerable.Range(1, count), all.Select(c => c.Seq));
        // The links these changes get verify against the record they leave (the audit's content check).
        Domain.AuditContentTests.AssertChangesVerify(all);
        return all;
    }

    static void AssertNear(DateTimeOffset expected, DateTimeOffset actual, TimeSpan tolerance) =>
        Assert.True((actual - expected).Duration() <= tolerance, $"{actual:O} is not within {tolerance} of {expected:O}");
}
