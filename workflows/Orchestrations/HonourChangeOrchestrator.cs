using System.Diagnostics.CodeAnalysis;
using Eval.Workflows.Domain;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace Eval.Workflows.Orchestrations;

/// <summary>
/// One proposed demotion or revocation of an honour (动态管理): the organization department decides by a deadline (once it
/// has passed, the change is escalated to the organization department of the campaign's unit); a refusal ends it; an
/// approval with notice holds a public notice, and an upheld objection withdraws the change; then it is applied: the
/// register, the campaign's audit chain and a newly signed list. The API stores every decision and objection on the
/// change's row before it raises <see cref="HonourChangeEvents.Updated"/>, and this workflow decides from the row, read at
/// each event and on a timer as well (an event can be lost), so a repeated or lost event changes nothing.
/// </summary>
public sealed class HonourChangeOrchestrator : TaskOrchestrator<HonourChangeInput, string>
{
    static readonly TimeSpan MaxRecheck = TimeSpan.FromHours(1);

    public override async Task<string> RunAsync(TaskOrchestrationContext context, HonourChangeInput input)
    {
        var run = new Run(context, input);
        return await run.ExecuteAsync();
    }

    [SuppressMessage("Orchestration", "DURABLE0010", Justification =
        "log is context.CreateReplaySafeLogger's logger; the analyzer counts any logger kept in a field as unsafe.")]
    sealed class Run(TaskOrchestrationContext context, HonourChangeInput input)
    {
        readonly ILogger log = context.CreateReplaySafeLogger<HonourChangeOrchestrator>();
        readonly EventInbox inbox = new(context);

        DateTimeOffset Now => new(context.CurrentUtcDateTime, TimeSpan.Zero);

        public async Task<string> ExecuteAsync()
        {
            // 1. The organization department's decision, by its deadline; once overdue, escalated to the campaign's unit.
            HonourChangeState decided = await WatchAsync(s => s.Decided, input.DecisionDue, () => MarkAsync(HonourChangeStatus.Overdue));
            if (!decided.Approve) return await EndAsync(HonourChangeStatus.Refused, "refused by the organization department");

            if (decided.Notice)
            {
                // 2. A public notice: objections until it ends, then until each is resolved; an upheld one withdraws the change.
                DateTimeOffset ends = Now + input.NoticeFor;
                await MarkAsync(HonourChangeStatus.Notice, ends);
                HonourChangeState closed = await WatchAsync(s => s.UpheldObjections > 0 || (s.NoticeClosed && s.OpenObjections == 0),
                    ends, () => MarkAsync(HonourChangeMark.CloseNotice));
                if (closed.UpheldObjections > 0) return await EndAsync(HonourChangeStatus.Withdrawn, "an objection was upheld");
            }
            else await MarkAsync(HonourChangeStatus.Approved);

            // 3. Applied: the register's row, the audit chain, and the list signed again with the honour's new standing.
            bool applied = await context.CallActivityAsync<bool>(TaskNames.ApplyHonourChange, Mark(HonourChangeStatus.Applied),
                ActivityRetry.Options);
            if (!applied) return await EndAsync(HonourChangeStatus.Withdrawn, "the honour was no longer held");
            await context.CallActivityAsync<int>(TaskNames.SignStatement,
                new SignStatementInput(input.CampaignId, RatingsStatement.ForChange(input.ChangeId), input.BranchId),
                ActivityRetry.Options);
            log.LogInformation("Honour change {ChangeId} of {CampaignId}/{BranchId} (instance {InstanceId}) applied",
                input.ChangeId, input.CampaignId, input.BranchId, context.InstanceId);
            return HonourChangeStatus.Applied;
        }

        /// <summary>
        /// Reads the change's row until <paramref name="done"/> holds: again at each event, and at least every
        /// <see cref="HonourChangeInput.Recheck"/> (doubling while nothing comes). Once <paramref name="deadline"/> has
        /// passed, <paramref name="atDeadline"/> runs once, and its answer is read as the row's.
        /// </summary>
        [SuppressMessage("Orchestration", "DURABLE0011", Justification =
            "Bounded by people: each turn waits for an event or a timer of up to an hour, and the change ends when they decide.")]
        async Task<HonourChangeState> WatchAsync(Func<HonourChangeState, bool> done, DateTimeOffset deadline,
            Func<Task<HonourChangeState>> atDeadline)
        {
            HonourChangeState state = await ReadAsync();
            bool passed = false;
            TimeSpan recheck = input.Recheck;
            while (!done(state))
            {
                if (!passed && Now >= deadline)
                {
                    passed = true;
                    state = await atDeadline();
                    continue;
                }
                DateTimeOffset wake = Now + recheck;
                if (!passed && deadline < wake) wake = deadline;
                if (await Deadline.WinsAsync(context, inbox.Next<HonourChangeUpdated>(HonourChangeEvents.Updated), wake))
                {
                    inbox.Take<HonourChangeUpdated>(HonourChangeEvents.Updated);
                    recheck = input.Recheck;
                }
                else recheck = recheck * 2 > MaxRecheck ? MaxRecheck : recheck * 2;
                state = await ReadAsync();
            }
            return state;
        }

        Task<HonourChangeState> ReadAsync() => context.CallActivityAsync<HonourChangeState>(TaskNames.ReadHonourChange,
            new HonourChangeRef(input.CampaignId, input.BranchId, input.ChangeId), ActivityRetry.Options);

        Task<HonourChangeState> MarkAsync(string status, DateTimeOffset? noticeEnds = null, string? outcome = null) =>
            context.CallActivityAsync<HonourChangeState>(TaskNames.MarkHonourChange,
                Mark(status) with { NoticeEnds = noticeEnds, Outcome = outcome }, ActivityRetry.Options);

        async Task<string> EndAsync(string status, string outcome)
        {
            await MarkAsync(status, outcome: outcome);
            log.LogInformation("Honour change {ChangeId} of {CampaignId}/{BranchId} (instance {InstanceId}) {Status}: {Outcome}",
                input.ChangeId, input.CampaignId, input.BranchId, context.InstanceId, status, outcome);
            return status;
        }

        HonourChangeMark Mark(string status) => new(input.CampaignId, input.BranchId, input.ChangeId, status, Now);
    }
}
