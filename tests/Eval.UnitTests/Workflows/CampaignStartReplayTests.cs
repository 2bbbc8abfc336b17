using System.Text.Json;
using Eval.Workflows;
using Eval.Workflows.Domain;
using Eval.Workflows.Orchestrations;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Microsoft.DurableTask.Worker.Grpc;
using P = Microsoft.DurableTask.Protobuf;

namespace Eval.UnitTests.Workflows;

/// <summary>
/// A campaign caught mid-start by a deploy: the history written by the earlier start (waves of 4 townships, each wave
/// scheduled only once the previous one had finished) replays on the current start (4 townships kept in flight).
/// The calls and their order are the same; each is now made no later than the history recorded it, which replay
/// accepts. Run through GrpcOrchestrationRunner, the same replay the Functions host and the sidecar's worker use.
/// </summary>
public sealed class CampaignStartReplayTests
{
    const string CampaignId = "c-2026";
    static readonly string[] Groups = Enumerable.Range(1, 6).Select(t => $"chifeng.test.t{t:00}").ToArray();
    static readonly DateTime T0 = new(2026, 11, 29, 8, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void A_history_recorded_by_the_wave_start_replays_and_the_start_goes_on_with_the_poll()
    {
        // Waves: Prepare; townships 1-4; their 4 results; townships 5-6. New: the results of 5 and 6.
        var past = new List<P.HistoryEvent>
        {
            Started(0), ExecutionStarted(), Scheduled(0, TaskNames.PrepareEvaluations, CampaignId), Started(1), Completed(0, Groups),
        };
        past.AddRange(Enumerable.Range(1, 4)
            .Select(i => Scheduled(i, TaskNames.StartEvaluationGroup, new StartEvaluationGroupInput(CampaignId, Groups[i - 1]))));
        past.Add(Started(2));
        past.AddRange(Enumerable.Range(1, 4).Select(i => Completed(i, 3)));
        past.AddRange(Enumerable.Range(5, 2)
            .Select(i => Scheduled(i, TaskNames.StartEvaluationGroup, new StartEvaluationGroupInput(CampaignId, Groups[i - 1]))));
        var fresh = new List<P.HistoryEvent> { Started(3), Completed(5, 3), Completed(6, 3) };

        P.OrchestratorResponse response = Run(past, fresh);

        Assert.DoesNotContain(response.Actions, a => a.CompleteOrchestration is not null);
        P.OrchestratorAction next = Assert.Single(response.Actions);
        Assert.Equal(TaskNames.FinishStart, next.ScheduleTask?.Name);
        Assert.Equal(7, next.Id);
    }

    [Fact]
    public void A_history_whose_calls_come_in_another_order_does_not_replay()
    {
        // The check above could pass for any history: this one schedules township 2 where the code starts township 1.
        var past = new List<P.HistoryEvent>
        {
            Started(0), ExecutionStarted(), Scheduled(0, TaskNames.PrepareEvaluations, CampaignId), Started(1), Completed(0, Groups),
            Scheduled(1, TaskNames.CloseNotice, CampaignId),
        };

        P.OrchestratorResponse response = Run(past, [Started(2), Completed(1, 0)]);

        P.OrchestratorAction failed = Assert.Single(response.Actions, a => a.CompleteOrchestration is not null);
        Assert.Equal(P.OrchestrationStatus.Failed, failed.CompleteOrchestration.OrchestrationStatus);
    }

    static P.OrchestratorResponse Run(IEnumerable<P.HistoryEvent> past, IEnumerable<P.HistoryEvent> fresh)
    {
        var request = new P.OrchestratorRequest
        {
            InstanceId = InstanceIds.Campaign(CampaignId), PastEvents = { past }, NewEvents = { fresh },
        };
        string encoded = GrpcOrchestrationRunner.LoadAndRun(request.ToByteString().ToBase64(), new CampaignOrchestrator());
        return P.OrchestratorResponse.Parser.ParseFrom(ByteString.FromBase64(encoded));
    }

    static P.HistoryEvent Started(int episode) => new()
    {
        EventId = -1, Timestamp = Timestamp.FromDateTime(T0.AddSeconds(episode)), OrchestratorStarted = new P.OrchestratorStartedEvent(),
    };

    static P.HistoryEvent ExecutionStarted() => new()
    {
        EventId = -1, Timestamp = Timestamp.FromDateTime(T0),
        ExecutionStarted = new P.ExecutionStartedEvent
        {
            Name = TaskNames.CampaignOrchestrator, Input = Json(new CampaignRunInput(CampaignId, TimeSpan.FromDays(5))),
            OrchestrationInstance = new P.OrchestrationInstance { InstanceId = InstanceIds.Campaign(CampaignId), ExecutionId = "e1" },
        },
    };

    static P.HistoryEvent Scheduled(int id, string name, object input) => new()
    {
        EventId = id, Timestamp = Timestamp.FromDateTime(T0), TaskScheduled = new P.TaskScheduledEvent { Name = name, Input = Json(input) },
    };

    static P.HistoryEvent Completed(int id, object result) => new()
    {
        EventId = -1, Timestamp = Timestamp.FromDateTime(T0),
        TaskCompleted = new P.TaskCompletedEvent { TaskScheduledId = id, Result = Json(result) },
    };

    static string Json(object value) => JsonSerializer.Serialize(value);
}
