using System.Collections.Concurrent;
using System.Text.Json;
using Eval.Workflows;
using Eval.Workflows.Domain;
using Eval.Workflows.Orchestrations;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;

namespace Eval.UnitTests.Workflows;

/// <summary>
/// The campaign orchestrator on the in-process engine, its six activities replaced by recorders whose answers the
/// tests control (unfinished evaluations, open objections).
/// </summary>
public sealed class CampaignOrchestratorTests : IAsyncLifetime
{
    const string CampaignId = "c2025";
    const string EarlierCampaign = "c2024";
    const int Branches = 5;
    const int Ranked = 4;
    static readonly Actor OrgDepartment = new("u-org", "Organization department", "org-department");

    sealed record Call(string Name, object Input, int Result, DateTimeOffset At);

    readonly ConcurrentQueue<Call> calls = new();
    /// <summary>The start's fan-out (group starts and the pending polls), kept apart from the campaign's steps.</summary>
    readonly ConcurrentQueue<Call> startCalls = new();
    /// <summary>The revocations of upheld objections' levels (version 2), kept apart from the campaign's steps.</summary>
    readonly ConcurrentQueue<DateTimeOffset> revocations = new();
    /// <summary>The history purges started after publication (version 3), kept apart from the campaign's steps.</summary>
    readonly ConcurrentQueue<StartHistoryPurgeInput> purges = new();
    /// <summary>The lists signed after publication (version 3): the campaign's, then the earlier ones it superseded.</summary>
    readonly ConcurrentQueue<SignStatementInput> signed = new();
    static readonly string[] Groups = Enumerable.Range(1, 9).Select(t => $"chifeng.test.t{t:00}").ToArray();
    int startsInFlight, maxStartsInFlight;
    int pendingPolls;   // how many polls for pending evaluations answer "3 pending" before the start is done
    int unfinished;
    int openObjections;
    DurableTaskTestHost host = null!;

    public async Task InitializeAsync() => host = await DurableTaskTestHost.StartAsync(r =>
    {
        r.AddOrchestrator<CampaignOrchestrator>();
        r.AddActivityFunc<string, string[]>(TaskNames.PrepareEvaluations, (_, id) =>
        {
            Record(TaskNames.PrepareEvaluations, id, Groups.Length);
            return Groups;
        });
        r.AddActivityFunc<StartEvaluationGroupInput, int>(TaskNames.StartEvaluationGroup, async (_, input) =>
        {
            int now = Interlocked.Increment(ref startsInFlight);
            lock (startCalls) maxStartsInFlight = Math.Max(maxStartsInFlight, now);
            await Task.Delay(input.UnitId.EndsWith('1') ? 400 : 50); // one slow township must not hold the others back
            Interlocked.Decrement(ref startsInFlight);
            startCalls.Enqueue(new Call(TaskNames.StartEvaluationGroup, input, 3, DateTimeOffset.UtcNow));
            return 3;
        });
        r.AddActivityFunc<string, StartProgress>(TaskNames.FinishStart, (_, id) =>
        {
            int pending = Interlocked.Decrement(ref pendingPolls) >= 0 ? 3 : 0;
            startCalls.Enqueue(new Call(TaskNames.FinishStart, id, pending, DateTimeOffset.UtcNow));
            return new StartProgress(pending, pending == 0 ? Branches : null);
        });
        r.AddActivityFunc<CloseEvaluationsInput, int>(TaskNames.CloseUnfinishedEvaluations,
            (_, input) => Record(TaskNames.CloseUnfinishedEvaluations, input, Volatile.Read(ref unfinished)));
        r.AddActivityFunc<string, int>(TaskNames.CountUnfinishedEvaluations,
            (_, id) => Record(TaskNames.CountUnfinishedEvaluations, id, Volatile.Read(ref unfinished)));
        r.AddActivityFunc<ProposeRatingsInput, int>(TaskNames.ProposeRatings,
            (_, input) => Record(TaskNames.ProposeRatings, input, Ranked));
        r.AddActivityFunc<string, int>(TaskNames.CloseNotice,
            (_, id) => Record(TaskNames.CloseNotice, id, Volatile.Read(ref openObjections)));
        r.AddActivityFunc<PublishRatingsInput, int>(TaskNames.PublishRatings,
            (_, input) => Record(TaskNames.PublishRatings, input, Ranked));
        r.AddActivityFunc<string, int>(TaskNames.RevokeUpheldRatings, (_, _) => { revocations.Enqueue(DateTimeOffset.UtcNow); return 1; });
        r.AddActivityFunc<StartHistoryPurgeInput, bool>(TaskNames.StartHistoryPurge, (_, input) => { purges.Enqueue(input); return true; });
        r.AddActivityFunc<PublishRatingsInput, string[]>(TaskNames.SupersedeHonours, (_, _) => [EarlierCampaign]);
        r.AddActivityFunc<SignStatementInput, int>(TaskNames.SignStatement, (_, input) => { signed.Enqueue(input); return signed.Count; });
    }, InProcessHosts.Options());

    public async Task DisposeAsync() => await host.DisposeAsync();

    int Record(string name, object input, int result)
    {
        calls.Enqueue(new Call(name, input, result, DateTimeOffset.UtcNow));
        return result;
    }

    [Fact]
    public async Task The_start_fans_out_one_activity_per_township_and_waits_until_no_evaluation_is_pending()
    {
        pendingPolls = 2;
        string id = await Start(TimeSpan.FromSeconds(1));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        while (!startCalls.Any(c => c.Name == TaskNames.FinishStart && c.Result == 0))
        {
            Assert.False(timeout.IsCancellationRequested,
                $"the start did not finish; calls: {string.Join(", ", startCalls.Select(c => c.Name))}");
            await Task.Delay(25);
        }
        Call[] start = startCalls.ToArray();
        // Every township started exactly once, all of them before the first poll for pending evaluations.
        Call[] groups = start.TakeWhile(c => c.Name == TaskNames.StartEvaluationGroup).ToArray();
        Assert.Equal(Groups.Order(), groups.Select(c => ((StartEvaluationGroupInput)c.Input).UnitId).Order());
        Assert.All(groups, c => Assert.Equal(CampaignId, ((StartEvaluationGroupInput)c.Input).CampaignId));
        // A few townships at a time, and the slow first one did not hold the rest: they finished while it ran.
        Assert.InRange(maxStartsInFlight, 2, 8);
        Assert.Equal("chifeng.test.t01", ((StartEvaluationGroupInput)groups[^1].Input).UnitId);
        // Polled until nothing was pending (two answers of 3, then 0), about a second apart.
        Call[] polls = start.Skip(groups.Length).ToArray();
        Assert.Equal([3, 3, 0], polls.Select(p => p.Result));
        Assert.True(polls[2].At - polls[0].At >= TimeSpan.FromSeconds(1.5), $"polled {polls[2].At - polls[0].At} apart");
        await AssertStillRunning(id, TimeSpan.FromMilliseconds(200));
        Assert.Equal([TaskNames.PrepareEvaluations], calls.Select(c => c.Name));
    }

    [Fact]
    public async Task Normal_publication_ranks_holds_the_notice_period_then_publishes_once()
    {
        TimeSpan publicity = TimeSpan.FromSeconds(2);
        string id = await Start(publicity);
        await WaitForCalls(TaskNames.PrepareEvaluations, 1);
        await AssertStillRunning(id, TimeSpan.FromMilliseconds(300));
        Assert.Single(calls);   // nothing happens until publication is requested

        DateTimeOffset requestedAt = DateTimeOffset.UtcNow;
        await Raise(id, CampaignEvents.PublicationRequested, new PublicationRequested(false, OrgDepartment, requestedAt));

        Assert.Equal(CampaignStatus.Published, await Complete(id));
        Call[] all = calls.ToArray();
        Assert.Equal(
            [
                TaskNames.PrepareEvaluations, TaskNames.CountUnfinishedEvaluations, TaskNames.ProposeRatings, TaskNames.CloseNotice,
                TaskNames.PublishRatings,
            ],
            all.Select(c => c.Name));
        Assert.Equal(CampaignId, all[0].Input);
        Assert.Equal(CampaignId, all[1].Input);
        Assert.Equal(CampaignId, all[3].Input);

        var propose = (ProposeRatingsInput)all[2].Input;
        Assert.Equal(CampaignId, propose.CampaignId);
        // The notice ends one publicity period after the orchestration moved on from the request.
        AssertNear(requestedAt + publicity, propose.PublicityEndsAt, TimeSpan.FromSeconds(1.5));
        Assert.True(propose.PublicityEndsAt - all[2].At <= publicity,
            $"the notice ends at {propose.PublicityEndsAt:O}, more than {publicity} after the ranking at {all[2].At:O}");

        // The notice is closed and the ratings published only once the notice period is over.
        Assert.True(all[3].At >= propose.PublicityEndsAt, $"notice closed at {all[3].At:O}, before its end {propose.PublicityEndsAt:O}");
        var publish = (PublishRatingsInput)all[4].Input;
        Assert.Equal(CampaignId, publish.CampaignId);
        Assert.True(publish.PublishedAt >= propose.PublicityEndsAt,
            $"published at {publish.PublishedAt:O}, before the notice ended at {propose.PublicityEndsAt:O}");
        Assert.True(all[4].At >= propose.PublicityEndsAt);
    }

    [Fact]
    public async Task Forced_publication_closes_unfinished_evaluations_and_polls_until_none_is_left()
    {
        Volatile.Write(ref unfinished, 2);
        string id = await Start(TimeSpan.FromSeconds(1));
        await WaitForCalls(TaskNames.PrepareEvaluations, 1);

        DateTimeOffset requestedAt = DateTimeOffset.UtcNow;
        await Raise(id, CampaignEvents.PublicationRequested, new PublicationRequested(true, OrgDepartment, requestedAt));

        // Two polls while two evaluations are still closing (the poll interval is 2 s): no ranking yet.
        await WaitForCalls(TaskNames.CountUnfinishedEvaluations, 2);
        await AssertStillRunning(id, TimeSpan.FromMilliseconds(200));
        Assert.DoesNotContain(calls, c => c.Name == TaskNames.ProposeRatings);

        Volatile.Write(ref unfinished, 0);
        Assert.Equal(CampaignStatus.Published, await Complete(id));

        Call[] all = calls.ToArray();
        Assert.Equal(TaskNames.PrepareEvaluations, all[0].Name);
        Assert.Equal(TaskNames.CloseUnfinishedEvaluations, all[1].Name);
        var close = (CloseEvaluationsInput)all[1].Input;
        Assert.Equal(CampaignId, close.CampaignId);
        Assert.Equal(OrgDepartment, close.By);
        Assert.Equal(requestedAt, close.At);

        // Then only polls, every one but the last answering 2; the ranking comes right after the poll that answered 0.
        Call[] polls = all.Skip(2).TakeWhile(c => c.Name == TaskNames.CountUnfinishedEvaluations).ToArray();
        Assert.True(polls.Length >= 3, $"{polls.Length} polls");
        Assert.All(polls[..^1], p => Assert.Equal(2, p.Result));
        Assert.Equal(0, polls[^1].Result);
        Assert.Equal([TaskNames.ProposeRatings, TaskNames.CloseNotice, TaskNames.PublishRatings],
            all.Skip(2 + polls.Length).Select(c => c.Name));
        Assert.Single(all, c => c.Name == TaskNames.CloseUnfinishedEvaluations);
        for (int i = 1; i < polls.Length; i++)
            Assert.True(polls[i].At - polls[i - 1].At >= TimeSpan.FromSeconds(1.5),
                $"poll {i} came {polls[i].At - polls[i - 1].At} after the previous one");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task An_open_objection_holds_publication_until_it_is_resolved(bool upheld)
    {
        Volatile.Write(ref openObjections, 1);
        string id = await Start(TimeSpan.FromSeconds(1));
        await Raise(id, CampaignEvents.PublicationRequested, new PublicationRequested(false, OrgDepartment, DateTimeOffset.UtcNow));

        await WaitForCalls(TaskNames.CloseNotice, 1);
        await AssertStillRunning(id, TimeSpan.FromSeconds(1));
        Assert.DoesNotContain(calls, c => c.Name == TaskNames.PublishRatings);
        Assert.Single(calls, c => c.Name == TaskNames.CloseNotice);
        JsonElement status = await CustomStatus(id);
        Assert.Equal("resolving-objections", status.GetProperty("step").GetString());
        Assert.Equal(1, status.GetProperty("open").GetInt32());

        // The objection is resolved (its record is no longer open), then the API raises the event.
        Volatile.Write(ref openObjections, 0);
        await Raise(id, CampaignEvents.ObjectionResolved, new ObjectionResolved("obj-1", upheld));

        Assert.Equal(CampaignStatus.Published, await Complete(id));
        Assert.Equal(
            [
                TaskNames.PrepareEvaluations, TaskNames.CountUnfinishedEvaluations, TaskNames.ProposeRatings, TaskNames.CloseNotice,
                TaskNames.CloseNotice, TaskNames.PublishRatings,
            ],
            calls.Select(c => c.Name));
        Assert.Equal([1, 0], calls.Where(c => c.Name == TaskNames.CloseNotice).Select(c => c.Result));
    }

    [Fact]
    public async Task Publication_waits_for_the_last_of_two_open_objections()
    {
        Volatile.Write(ref openObjections, 2);
        string id = await Start(TimeSpan.FromSeconds(1));
        await Raise(id, CampaignEvents.PublicationRequested, new PublicationRequested(false, OrgDepartment, DateTimeOffset.UtcNow));
        await WaitForCalls(TaskNames.CloseNotice, 1);

        Volatile.Write(ref openObjections, 1);
        await Raise(id, CampaignEvents.ObjectionResolved, new ObjectionResolved("obj-1", true));
        await WaitForCalls(TaskNames.CloseNotice, 2);
        await AssertStillRunning(id, TimeSpan.FromMilliseconds(700));
        Assert.DoesNotContain(calls, c => c.Name == TaskNames.PublishRatings);

        Volatile.Write(ref openObjections, 0);
        await Raise(id, CampaignEvents.ObjectionResolved, new ObjectionResolved("obj-2", false));

        Assert.Equal(CampaignStatus.Published, await Complete(id));
        Assert.Equal([2, 1, 0], calls.Where(c => c.Name == TaskNames.CloseNotice).Select(c => c.Result));
        Assert.Single(calls, c => c.Name == TaskNames.PublishRatings);
        Assert.Equal(TaskNames.PublishRatings, calls.Last().Name);
    }

    [Fact]
    public async Task Waiting_for_objections_it_counts_again_on_its_own_when_no_event_comes()
    {
        // The last objection is resolved but its event is lost (or the objection was removed after the count): no event.
        Volatile.Write(ref openObjections, 1);
        string id = await Start(TimeSpan.FromSeconds(1), recount: TimeSpan.FromSeconds(1));
        await Raise(id, CampaignEvents.PublicationRequested, new PublicationRequested(false, OrgDepartment, DateTimeOffset.UtcNow));
        await WaitForCalls(TaskNames.CloseNotice, 1);
        Volatile.Write(ref openObjections, 0);

        Assert.Equal(CampaignStatus.Published, await Complete(id));
        Assert.Equal([1, 0], calls.Where(c => c.Name == TaskNames.CloseNotice).Select(c => c.Result));
    }

    [Fact]
    public async Task A_campaign_started_before_the_recount_existed_still_waits_for_the_event()
    {
        // Version 0 inputs replay what they recorded: no timer in this wait.
        Volatile.Write(ref openObjections, 1);
        string id = await Start(TimeSpan.FromSeconds(1), recount: TimeSpan.FromSeconds(1), version: 0);
        await Raise(id, CampaignEvents.PublicationRequested, new PublicationRequested(false, OrgDepartment, DateTimeOffset.UtcNow));
        await WaitForCalls(TaskNames.CloseNotice, 1);
        Volatile.Write(ref openObjections, 0);
        await AssertStillRunning(id, TimeSpan.FromSeconds(3));
        Assert.Single(calls, c => c.Name == TaskNames.CloseNotice);

        await Raise(id, CampaignEvents.ObjectionResolved, new ObjectionResolved("obj-1", false));
        Assert.Equal(CampaignStatus.Published, await Complete(id));
    }

    [Fact]
    public async Task An_upheld_objection_revokes_its_level_when_its_event_comes_during_the_notice_and_after_it()
    {
        Volatile.Write(ref openObjections, 1);
        string id = await Start(TimeSpan.FromSeconds(4));
        await Raise(id, CampaignEvents.PublicationRequested, new PublicationRequested(false, OrgDepartment, DateTimeOffset.UtcNow));
        await WaitForCalls(TaskNames.ProposeRatings, 1);

        // During the notice: an upheld objection is revoked at once, a dismissed one changes nothing.
        await Raise(id, CampaignEvents.ObjectionResolved, new ObjectionResolved("obj-1", false));
        await Raise(id, CampaignEvents.ObjectionResolved, new ObjectionResolved("obj-2", true));
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(3)))
            while (revocations.IsEmpty) await Task.Delay(25, timeout.Token); // throws when no revocation comes in time
        Assert.Single(revocations);
        Assert.DoesNotContain(calls, c => c.Name == TaskNames.CloseNotice);

        // After it, while the last open objection is resolved (upheld): revoked again before the count that ends the wait.
        await WaitForCalls(TaskNames.CloseNotice, 1);
        Volatile.Write(ref openObjections, 0);
        await Raise(id, CampaignEvents.ObjectionResolved, new ObjectionResolved("obj-3", true));
        Assert.Equal(CampaignStatus.Published, await Complete(id));
        Assert.Equal(2, revocations.Count);
    }

    [Fact]
    public async Task A_campaign_started_before_version_2_leaves_revocations_to_its_publication()
    {
        Volatile.Write(ref openObjections, 1);
        string id = await Start(TimeSpan.FromSeconds(1), recount: TimeSpan.FromSeconds(1), version: 1);
        await Raise(id, CampaignEvents.PublicationRequested, new PublicationRequested(false, OrgDepartment, DateTimeOffset.UtcNow));
        await WaitForCalls(TaskNames.CloseNotice, 1);
        Volatile.Write(ref openObjections, 0);
        await Raise(id, CampaignEvents.ObjectionResolved, new ObjectionResolved("obj-1", true));
        Assert.Equal(CampaignStatus.Published, await Complete(id));
        Assert.Empty(revocations);
    }

    [Fact]
    public async Task From_version_3_the_campaign_signs_its_list_and_those_it_superseded_then_starts_its_history_purge()
    {
        string id = await Start(TimeSpan.FromSeconds(1));
        await Raise(id, CampaignEvents.PublicationRequested, new PublicationRequested(false, OrgDepartment, DateTimeOffset.UtcNow));
        Assert.Equal(CampaignStatus.Published, await Complete(id));
        StartHistoryPurgeInput purge = Assert.Single(purges);
        Assert.Equal(CampaignId, purge.CampaignId);
        var publish = (PublishRatingsInput)calls.Single(c => c.Name == TaskNames.PublishRatings).Input;
        Assert.Equal(publish.PublishedAt, purge.PublishedAt);
        Assert.True(publish.Register);
        // Its list signed as published, then the earlier campaign's whose titles it superseded.
        Assert.Equal([new SignStatementInput(CampaignId, RatingsStatement.Published),
            new SignStatementInput(EarlierCampaign, RatingsStatement.Superseded(CampaignId))], signed);
    }

    [Fact]
    public async Task A_campaign_started_before_version_3_publishes_without_register_signature_or_purge()
    {
        string id = await Start(TimeSpan.FromSeconds(1), recount: TimeSpan.FromSeconds(1), version: 2);
        await Raise(id, CampaignEvents.PublicationRequested, new PublicationRequested(false, OrgDepartment, DateTimeOffset.UtcNow));
        Assert.Equal(CampaignStatus.Published, await Complete(id));
        Assert.Empty(purges);
        Assert.Empty(signed);
        Assert.False(((PublishRatingsInput)calls.Single(c => c.Name == TaskNames.PublishRatings).Input).Register);
    }

    // ---------------------------------------------------------------- helpers

    async Task<string> Start(TimeSpan publicity, TimeSpan? recount = null, int version = CampaignRunInput.CurrentVersion) =>
        await host.Client.ScheduleNewOrchestrationInstanceAsync(TaskNames.CampaignOrchestrator,
            new CampaignRunInput(CampaignId, publicity) { Version = version, Recount = recount },
            new StartOrchestrationOptions(InstanceIds.Campaign(CampaignId)));

    Task Raise(string id, string name, object payload) => host.Client.RaiseEventAsync(id, name, payload);

    async Task<string> Complete(string id)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        OrchestrationMetadata m = await host.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, timeout.Token);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, m.RuntimeStatus);
        return m.ReadOutputAs<string>()!;
    }

    async Task AssertStillRunning(string id, TimeSpan wait)
    {
        await Task.Delay(wait);
        OrchestrationMetadata m = (await host.Client.GetInstanceAsync(id))!;
        Assert.Equal(OrchestrationRuntimeStatus.Running, m.RuntimeStatus);
    }

    async Task<JsonElement> CustomStatus(string id)
    {
        OrchestrationMetadata m = (await host.Client.GetInstanceAsync(id, getInputsAndOutputs: true))!;
        return m.ReadCustomStatusAs<JsonElement>();
    }

    async Task WaitForCalls(string name, int count)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (calls.Count(c => c.Name == name) < count)
        {
            if (timeout.IsCancellationRequested)
                Assert.Fail($"{count} calls of {name} expected; calls: {string.Join(", ", calls.Select(c => c.Name))}");
            await Task.Delay(25);
        }
    }

    static void AssertNear(DateTimeOffset expected, DateTimeOffset actual, TimeSpan tolerance) =>
        Assert.True((actual - expected).Duration() <= tolerance, $"{actual:O} is not within {tolerance} of {expected:O}");
}
