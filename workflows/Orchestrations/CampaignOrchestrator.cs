using System.Diagnostics.CodeAnalysis;
using Eval.Workflows.Domain;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace Eval.Workflows.Orchestrations;

/// <summary>
/// A campaign from start to publication: start one evaluation instance per branch (independent instances,
/// not sub-orchestrations, so the history stays small), wait for the publication request, close what is
/// unfinished if it was forced, rank, hold the public notice (公示) until its end and until every objection
/// is resolved, then publish the final ratings. Progress lives in tables, not in this history.
/// </summary>
public sealed class CampaignOrchestrator : TaskOrchestrator<CampaignRunInput, string>
{
    static readonly TimeSpan UnfinishedPollInterval = TimeSpan.FromSeconds(2);
    static readonly TimeSpan StartPollInterval = TimeSpan.FromSeconds(1);
    /// <summary>
    /// Townships starting at once. Each start activity runs up to 8 starts in parallel, but many townships have only a
    /// handful of branches, so 8 townships keep roughly 30 to 60 starts in flight.
    /// </summary>
    const int StartWindow = 8;

    public override async Task<string> RunAsync(TaskOrchestrationContext context, CampaignRunInput input)
    {
        ILogger log = context.CreateReplaySafeLogger<CampaignOrchestrator>();
        var inbox = new EventInbox(context);

        context.SetCustomStatus(new CampaignWorkflowStatus(CampaignSteps.Starting));
        int branches = await StartEvaluationsAsync(context, input.CampaignId);
        log.LogInformation("Campaign {CampaignId} (instance {InstanceId}) started {Count} evaluations",
            input.CampaignId, context.InstanceId, branches);

        context.SetCustomStatus(new CampaignWorkflowStatus(CampaignSteps.Running) { Branches = branches });
        PublicationRequested request = await inbox.Next<PublicationRequested>(CampaignEvents.PublicationRequested);
        inbox.Take<PublicationRequested>(CampaignEvents.PublicationRequested);

        if (request.Force)
            await context.CallActivityAsync<int>(TaskNames.CloseUnfinishedEvaluations,
                new CloseEvaluationsInput(input.CampaignId, request.By, request.At), ActivityRetry.Options);
        // Closed evaluations finish in their own instances; wait until the table shows them all done.
        while (await context.CallActivityAsync<int>(TaskNames.CountUnfinishedEvaluations, input.CampaignId, ActivityRetry.Options) > 0)
            await context.CreateTimer(UnfinishedPollInterval, CancellationToken.None);

        DateTimeOffset noticeEnds = new DateTimeOffset(context.CurrentUtcDateTime, TimeSpan.Zero) + input.Publicity;
        int ranked = await context.CallActivityAsync<int>(TaskNames.ProposeRatings,
            new ProposeRatingsInput(input.CampaignId, noticeEnds), ActivityRetry.Options);
        context.SetCustomStatus(new CampaignWorkflowStatus(CampaignSteps.Publicity) { Ranked = ranked, NoticeEnds = noticeEnds });
        if (input.Version >= 2)
        {
            // Objections resolved during the notice: an upheld one's level is revoked on the list the public reads.
            while (await Deadline.WinsAsync(context, inbox.Next<ObjectionResolved>(CampaignEvents.ObjectionResolved), noticeEnds))
                await ApplyAsync(context, input, inbox.Take<ObjectionResolved>(CampaignEvents.ObjectionResolved));
        }
        else await Deadline.PassAsync(context, noticeEnds);

        // Close the notice, then publish only once no objection is left open.
        int open = await context.CallActivityAsync<int>(TaskNames.CloseNotice, input.CampaignId, ActivityRetry.Options);
        TimeSpan? recount = input.Version >= 1 ? input.Recount : null;
        while (open > 0)
        {
            context.SetCustomStatus(new CampaignWorkflowStatus(CampaignSteps.ResolvingObjections) { Open = open });
            if (await ResolvedWithinAsync(context, inbox, recount))
            {
                await ApplyAsync(context, input, inbox.Take<ObjectionResolved>(CampaignEvents.ObjectionResolved));
                recount = input.Version >= 1 ? input.Recount : null;
            }
            else recount = recount * 2 > MaxRecount ? MaxRecount : recount * 2;
            open = await context.CallActivityAsync<int>(TaskNames.CloseNotice, input.CampaignId, ActivityRetry.Options);
        }

        var publishedAt = new DateTimeOffset(context.CurrentUtcDateTime, TimeSpan.Zero);
        int published = await context.CallActivityAsync<int>(TaskNames.PublishRatings,
            new PublishRatingsInput(input.CampaignId, publishedAt) { Register = input.Version >= 3 }, ActivityRetry.Options);
        // Version 3: the register and the signed list (lead).
        if (input.Version >= 3)
        {
            // The list is signed, and so are the earlier lists whose titles these supersede.
            string[] superseded = await context.CallActivityAsync<string[]>(TaskNames.SupersedeHonours,
                new PublishRatingsInput(input.CampaignId, publishedAt), ActivityRetry.Options);
            await context.CallActivityAsync<int>(TaskNames.SignStatement,
                new SignStatementInput(input.CampaignId, RatingsStatement.Published), ActivityRetry.Options);
            foreach (string earlier in superseded)
                await context.CallActivityAsync<int>(TaskNames.SignStatement,
                    new SignStatementInput(earlier, RatingsStatement.Superseded(input.CampaignId)), ActivityRetry.Options);
            // Last: once the retention has passed, the finished instances' history is purged (the tables keep the record).
            await context.CallActivityAsync<bool>(TaskNames.StartHistoryPurge, new StartHistoryPurgeInput(input.CampaignId, publishedAt),
                ActivityRetry.Options);
        }
        context.SetCustomStatus(new CampaignWorkflowStatus(CampaignSteps.Published) { Published = published });
        log.LogInformation("Campaign {CampaignId} (instance {InstanceId}) published {Count} ratings",
            input.CampaignId, context.InstanceId, published);
        return CampaignStatus.Published;
    }

    static readonly TimeSpan MaxRecount = TimeSpan.FromHours(1);

    /// <summary>An upheld objection revokes its branch's level (from version 2; the workflow is the only writer of ratings).</summary>
    static Task ApplyAsync(TaskOrchestrationContext context, CampaignRunInput input, ObjectionResolved resolved) =>
        input.Version >= 2 && resolved.Upheld
            ? context.CallActivityAsync<int>(TaskNames.RevokeUpheldRatings, input.CampaignId, ActivityRetry.Options)
            : Task.CompletedTask;

    /// <summary>True when a resolution's event arrives within <paramref name="wait"/> (no wait: it waits for the event).</summary>
    static async Task<bool> ResolvedWithinAsync(TaskOrchestrationContext context, EventInbox inbox, TimeSpan? wait)
    {
        Task<ObjectionResolved> resolved = inbox.Next<ObjectionResolved>(CampaignEvents.ObjectionResolved);
        if (wait is null || resolved.IsCompleted) { await resolved; return true; }
        using var cancelTimer = new CancellationTokenSource();
        Task timer = context.CreateTimer(wait.Value, cancelTimer.Token);
        if (await Task.WhenAny(resolved, timer) != resolved) return false;
        cancelTimer.Cancel();
        return true;
    }

    /// <summary>
    /// Records first (one activity, batched writes), then the orchestrations township by township (short activities,
    /// so a crash repeats little), a few townships in flight at any time: each one that finishes makes room for the
    /// next, so no township waits for the slowest of a batch. Then wait until none is pending.
    /// </summary>
    [SuppressMessage("Orchestration", "DURABLE0011", Justification =
        "Bounded: the poll ends once every evaluation has processed its start; ContinueAsNew would restart the campaign.")]
    static async Task<int> StartEvaluationsAsync(TaskOrchestrationContext context, string campaignId)
    {
        string[] groups = await context.CallActivityAsync<string[]>(TaskNames.PrepareEvaluations, campaignId, ActivityRetry.Options);
        var inFlight = new List<Task<int>>(StartWindow);
        int next = 0, done = 0;
        while (next < groups.Length || inFlight.Count > 0)
        {
            while (inFlight.Count < StartWindow && next < groups.Length)
                inFlight.Add(context.CallActivityAsync<int>(TaskNames.StartEvaluationGroup,
                    new StartEvaluationGroupInput(campaignId, groups[next++]), ActivityRetry.Options));
            Task<int> finished = await Task.WhenAny(inFlight);
            inFlight.Remove(finished);
            await finished; // a township that failed after its retries fails the start, as before
            done++;
            context.SetCustomStatus(new CampaignWorkflowStatus(CampaignSteps.Starting) { Groups = groups.Length, Started = done });
        }
        while (true)
        {
            StartProgress progress = await context.CallActivityAsync<StartProgress>(TaskNames.FinishStart, campaignId,
                ActivityRetry.Options);
            if (progress.Branches is { } branches) return branches;
            await context.CreateTimer(StartPollInterval, CancellationToken.None);
        }
    }
}
