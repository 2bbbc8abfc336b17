using Eval.Workflows.Domain;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace Eval.Workflows.Orchestrations;

/// <summary>Record "waiting", race the confirmation event against the deadline timer, record the outcome.</summary>
public sealed class SelfTestOrchestrator : TaskOrchestrator<SelfTestInput, SelfTestRecord>
{
    public const string ConfirmedEvent = "SelfTestConfirmed";

    public override async Task<SelfTestRecord> RunAsync(TaskOrchestrationContext context, SelfTestInput input)
    {
        ILogger log = context.CreateReplaySafeLogger<SelfTestOrchestrator>();
        var waiting = new SelfTestRecord(input.Id, SelfTestStatus.Waiting, input.RequestedBy, input.Deadline,
            At: context.CurrentUtcDateTime);
        await context.CallActivityAsync<bool>(TaskNames.RecordSelfTest, waiting, ActivityRetry.Options);
        context.SetCustomStatus(SelfTestStatus.Waiting);

        Task<SelfTestConfirmation> confirmation = context.WaitForExternalEvent<SelfTestConfirmation>(ConfirmedEvent);
        SelfTestRecord outcome = await Deadline.WinsAsync(context, confirmation, input.Deadline)
            ? waiting with
            {
                Status = SelfTestStatus.Confirmed, ConfirmedBy = confirmation.Result.ConfirmedBy, At = context.CurrentUtcDateTime,
            }
            : waiting with { Status = SelfTestStatus.Expired, At = context.CurrentUtcDateTime };
        log.LogInformation("Self-test {SelfTestId} (instance {InstanceId}) ended {Status}", input.Id, context.InstanceId, outcome.Status);
        await context.CallActivityAsync<bool>(TaskNames.RecordSelfTest, outcome, ActivityRetry.Options);
        context.SetCustomStatus(outcome.Status);
        return outcome;
    }
}
