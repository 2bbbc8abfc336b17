using Eval.Workflows;
using Eval.Workflows.Domain;
using Eval.Workflows.Outbox;
using Eval.Workflows.Schemas;
using Eval.Workflows.Storage;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace Eval.Application.Campaigns;

/// <summary>The body of a publication request: force ends the unfinished evaluations as not evaluated.</summary>
public sealed record PublicationRequest(bool Force = false);

/// <summary>
/// The organization department's commands on a campaign: define it, start it, request its publication. Each goes
/// authorize → validate → idempotency (a repeat of the same operation finishes what its first attempt stored) → claim on
/// the campaign's record (ETag-conditional) → hand to the campaign's workflow.
/// </summary>
public sealed class CampaignCommands(CampaignAccess access, CampaignStore campaigns, UnitStore units, StageCounter progress,
    AcceptedActionRelay relay, OutboxBinding binding, OutboxOptions outbox, TimeProvider clock, ILogger<CampaignCommands> log)
{
    public async Task<Result<CampaignRecord>> CreateAsync(Caller caller, Func<Task<Result<string>>> readBody, string? operation,
        CancellationToken ct)
    {
        if (!caller.HasRole(Roles.OrgDepartment)) return Problem.Forbidden("Only the organization department creates campaigns.");
        Result<CampaignDefinition> bound = await CommandBody.ReadAsync<CampaignDefinition>(readBody,
            await SchemaCatalog.GetAsync(SchemaCatalog.Campaign));
        if (!bound.Ok) return bound.Problem;
        CampaignDefinition definition = bound.Value;
        if (CampaignRules.Validate(definition) is { Count: > 0 } errors) return Problem.Validation(errors);
        if (!caller.Covers(definition.Unit)) return Problem.Forbidden($"Unit '{definition.Unit}' is outside your unit '{caller.Unit}'.");
        if (await units.GetAsync(definition.Unit, ct) is null)
            return Problem.Validation([new FieldError("/unit", $"unit '{definition.Unit}' does not exist")]);

        var record = new CampaignRecord
        {
            Definition = definition with
            {
                Rubric = WithVetoList(definition.Rubric),
                Rubrics = definition.Rubrics?.ToDictionary(r => r.Key, r => WithVetoList(r.Value), StringComparer.Ordinal),
            },
            Status = CampaignStatus.Created,
            CreatedAt = clock.GetUtcNow(),
            CreatedBy = caller.Id,
            CreateOperation = operation,
        };
        if (!await campaigns.TryCreateAsync(record, ct))
        {
            // A repeat of a create that was written and then died before its answer was kept: the campaign is its own.
            if (operation is not null && await campaigns.GetAsync(definition.Id, ct) is { } existing
                && existing.Record.CreateOperation == operation)
                return existing.Record;
            return Problem.Conflict($"A campaign with id '{definition.Id}' exists already.");
        }
        log.LogInformation("Campaign {CampaignId} created over {Unit} by {CallerId}", definition.Id, definition.Unit, caller.Id);
        return record;
    }

    public async Task<Result<CampaignRecord>> StartAsync(Caller caller, string campaignId, string? operation, DurableTaskClient client,
        CancellationToken ct)
    {
        var (campaign, etag, missing) = await access.LoadAsync(campaignId, ct);
        if (missing is not null) return missing;
        if (!CampaignAccess.CanRun(caller, campaign!))
            return Problem.Forbidden("Only the organization department of the campaign's unit starts it.");
        // A repeat of a start that claimed and then died before scheduling its orchestration finishes it.
        bool resumed = operation is not null && campaign!.StartOperation == operation;
        if (!resumed)
        {
            if (campaign!.Status != CampaignStatus.Created)
            {
                // A start accepted earlier whose orchestration was never scheduled (its process died, or scheduling
                // failed) is finished now: this 409 is then true. Only once that start is surely abandoned, so as not to
                // race one still in flight.
                if (campaign.Status == CampaignStatus.Running && campaign.BranchCount is null
                    && campaign.StartedAt <= clock.GetUtcNow() - Requests.AbandonedAfter
                    && await client.GetInstanceAsync(InstanceIds.Campaign(campaignId), ct) is null)
                {
                    log.LogWarning("Campaign {CampaignId} was started at {StartedAt:O} without its orchestration: scheduling it now",
                        campaignId, campaign.StartedAt);
                    await ScheduleAsync(client, campaign, ct);
                }
                return Problem.Conflict($"The campaign is {campaign.Status}; only a created campaign can start.");
            }
            // Claim the start with the ETag: of two simultaneous starts, one wins and the other gets 409.
            campaign = campaign with { Status = CampaignStatus.Running, StartedAt = clock.GetUtcNow(), StartOperation = operation };
            if (!await campaigns.TryReplaceAsync(campaign, etag, ct))
                return Problem.Conflict("The campaign was changed at the same time; read it again.");
        }
        // A resumed start schedules only while the campaign is still starting: once it ran, its finished instance may have
        // been purged (Workflows:HistoryRetention), and scheduling it again would run the campaign twice.
        if (!resumed || (campaign!.BranchCount is null && campaign.Status == CampaignStatus.Running
            && await client.GetInstanceAsync(InstanceIds.Campaign(campaignId), ct) is null))
            await ScheduleAsync(client, campaign!, ct);
        log.LogInformation("Campaign {CampaignId} started by {CallerId}: instance {InstanceId}", campaignId, caller.Id,
            InstanceIds.Campaign(campaignId));
        return campaign!;
    }

    /// <summary>
    /// Asks the campaign's workflow to rank and open the public notice; with force, the unfinished evaluations end first.
    /// The request is kept on the campaign's record with its claim (its outbox), so a lost event is raised again.
    /// </summary>
    public async Task<Result<PublicationRequested>> RequestPublicationAsync(Caller caller, string campaignId,
        Func<Task<Result<string>>> readBody, string? operation, DurableTaskClient client, CancellationToken ct)
    {
        var (campaign, etag, missing) = await access.LoadAsync(campaignId, ct);
        if (missing is not null) return missing;
        if (!CampaignAccess.CanRun(caller, campaign!))
            return Problem.Forbidden("Only the organization department of the campaign's unit publishes.");
        Result<PublicationRequest> body = await CommandBody.ReadAsync<PublicationRequest>(readBody,
            await SchemaCatalog.GetAsync(SchemaCatalog.Publication));
        if (!body.Ok) return body.Problem;

        var requested = new PublicationRequested(body.Value.Force, new Actor(caller.Id, caller.Name, Roles.OrgDepartment),
            clock.GetUtcNow());
        // A repeat of a request that was recorded and then died before raising its event raises it (a duplicate is ignored):
        // the kept request if it is bound to its claim, else this one (the key binds it to the same body).
        if (operation is not null && campaign!.PublicationOperation == operation)
            requested = campaign.PublicationRequest is { } kept && relay.PublicationHolds(campaign) ? kept
                : requested with { At = campaign.PublicationRequestedAt ?? requested.At };
        else
        {
            if (campaign!.Status != CampaignStatus.Running || campaign.PublicationRequestedAt is not null)
            {
                // An earlier request accepted and never delivered (its raise failed) is raised again: this 409 is then true.
                await relay.BesideRefusalAsync(() => relay.RelayPublicationAsync(client, campaign, ct), $"campaign {campaignId}");
                return Problem.Conflict($"The campaign is {campaign.Status}" +
                    $"{(campaign.PublicationRequestedAt is null ? "" : ", publication already requested")}.");
            }
            if (campaign.BranchCount is null) return Problem.Conflict("The campaign is still starting its evaluations.");
            StageCounts counts = await progress.CountNowAsync(campaignId, ct);
            if (counts.Waiting > 0 && !body.Value.Force)
                return new Problem(ProblemKind.Conflict, "evaluations-unfinished", "Evaluations are still unfinished.",
                    $"{counts.Waiting} evaluations are not done; send {{\"force\":true}} to end them as not-evaluated.",
                    new Dictionary<string, object?> { ["stages"] = counts.Stages });
            CampaignRecord claimed = campaign with
            {
                PublicationRequestedAt = requested.At, Forced = body.Value.Force, PublicationOperation = operation,
                PublicationRequest = requested, PublicationRequestMac = binding.Bind(campaignId, operation, requested),
            };
            if (!await campaigns.TryReplaceAsync(claimed, etag, ct))
                return Problem.Conflict("The campaign was changed at the same time; read it again.");
        }
        await client.RaiseEventAsync(InstanceIds.Campaign(campaignId), CampaignEvents.PublicationRequested, requested);
        // The request as recorded: a resumed one acts on what its first attempt stored.
        log.LogInformation("Publication of {CampaignId} requested by {CallerId} (force {Force}), raised to instance {InstanceId}",
            campaignId, requested.By.Id, requested.Force, InstanceIds.Campaign(campaignId));
        return requested;
    }

    Task ScheduleAsync(DurableTaskClient client, CampaignRecord campaign, CancellationToken ct) =>
        client.ScheduleNewOrchestrationInstanceAsync(TaskNames.CampaignOrchestrator,
            new CampaignRunInput(campaign.Definition.Id, IsoDuration.Parse(campaign.Definition.Schedule.Publicity))
            {
                Version = CampaignRunInput.CurrentVersion, Recount = outbox.SweepInterval,
            },
            new StartOrchestrationOptions(InstanceIds.Campaign(campaign.Definition.Id)), ct);

    // A rubric without veto items keeps an empty list, not a missing one.
    static Rubric WithVetoList(Rubric rubric) => rubric with { VetoItems = rubric.VetoItems ?? [] };
}
