using Eval.Api.Endpoints;
using Eval.Application;
using Eval.Api.Auth;
using Eval.Api.Http;
using Eval.Workflows;
using Eval.Workflows.Domain;
using Eval.Workflows.Outbox;
using Eval.Workflows.Schemas;
using Eval.Workflows.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace Eval.Api.Handlers;

/// <summary>Creating, starting and reading campaigns, and requesting their publication.</summary>
public sealed class CampaignHandlers(Idempotency idempotency, Authenticator auth, CampaignAccess access, CampaignStore campaigns, UnitStore units,
    StageCounter progress, AcceptedActionRelay relay, OutboxOptions outbox, TimeProvider clock, ILogger<CampaignHandlers> log)
{
    public sealed record PublicationRequest(bool Force = false);

    public Task<IResult> CreateAsync(HttpRequest request) =>
        idempotency.RunAsync(request, () => CreateOnceAsync(request));

    async Task<IResult> CreateOnceAsync(HttpRequest request)
    {
        var (caller, denied) = await auth.AuthenticateAsync(request);
        if (denied is not null) return denied;
        if (!caller!.HasRole(Roles.OrgDepartment)) return Problems.Forbidden("Only the organization department creates campaigns.");

        var (definition, problem) = await RequestJson.ReadAsync<CampaignDefinition>(request, await SchemaCatalog.GetAsync(SchemaCatalog.Campaign));
        if (problem is not null) return problem;
        IReadOnlyList<FieldError> errors = CampaignRules.Validate(definition!);
        if (errors.Count > 0) return Problems.Validation(errors);
        if (!caller.Covers(definition!.Unit)) return Problems.Forbidden($"Unit '{definition.Unit}' is outside your unit '{caller.Unit}'.");
        if (await units.GetAsync(definition.Unit, request.HttpContext.RequestAborted) is null)
            return Problems.Validation([new FieldError("/unit", $"unit '{definition.Unit}' does not exist")]);

        var record = new CampaignRecord
        {
            Definition = definition with { Rubric = definition.Rubric with { VetoItems = definition.Rubric.VetoItems ?? [] } },
            Status = CampaignStatus.Created,
            CreatedAt = clock.GetUtcNow(),
            CreatedBy = caller.Id,
            CreateOperation = Idempotency.OperationOf(request),
        };
        if (!await campaigns.TryCreateAsync(record, request.HttpContext.RequestAborted))
        {
            // A repeat of a create that was written and then died before its answer was kept: the campaign is its own.
            if (record.CreateOperation is { } operation && await campaigns.GetAsync(definition.Id, request.HttpContext.RequestAborted) is { } existing
                && existing.Record.CreateOperation == operation)
                return Results.Created($"/{EvalApi.Prefix}/campaigns/{definition.Id}", View(existing.Record, null));
            return Problems.Conflict($"A campaign with id '{definition.Id}' exists already.");
        }
        log.LogInformation("Campaign {CampaignId} created over {Unit} by {CallerId}", definition.Id, definition.Unit, caller.Id);
        return Results.Created($"/{EvalApi.Prefix}/campaigns/{definition.Id}", View(record, null));
    }

    /// <summary>
    /// The campaigns at, above or below the caller's unit (a branch secretary finds the ones it takes part in); for a
    /// member, those it may object in (<see cref="CampaignAccess.CanSeeNotice"/>).
    /// </summary>
    public async Task<IResult> ListAsync(HttpRequest request)
    {
        var (caller, denied) = await auth.AuthenticateAsync(request);
        if (denied is not null) return denied;
        string? status = request.Query["status"].FirstOrDefault();
        if (status is not null && !CampaignStatus.All.Contains(status))
            return Problems.Validation([new FieldError("/query/status", $"one of {string.Join(", ", CampaignStatus.All)}")]);
        List<CampaignRecord> all = await campaigns.ListAsync(status, request.HttpContext.RequestAborted);
        return Results.Ok(new CampaignList([.. all.Where(c => CampaignAccess.CanSeeNotice(caller!, c))
            .OrderByDescending(c => c.CreatedAt).ThenBy(c => c.Definition.Id, StringComparer.Ordinal).Select(Summary)]));
    }

    static CampaignSummary Summary(CampaignRecord c) => new(c.Definition.Id, c.Definition.Title, c.Definition.Unit, c.Status, c.CreatedAt,
        c.StartedAt, c.BranchCount, c.PublicityEndsAt, c.PublishedAt);

    public async Task<IResult> GetAsync(HttpRequest request, string campaignId)
    {
        var (caller, denied) = await auth.AuthenticateAsync(request);
        if (denied is not null) return denied;
        var (campaign, _, missing) = await access.LoadAsync(campaignId, request.HttpContext.RequestAborted);
        if (missing is not null) return missing.ToResult();
        if (CampaignAccess.CanSee(caller!, campaign!))
            return Results.Ok(View(campaign!, await progress.RecentAsync(campaign!, request.HttpContext.RequestAborted)));
        if (CampaignAccess.CanSeeNotice(caller!, campaign!)) return Results.Ok(Summary(campaign!));
        return Problems.Forbidden(CampaignAccess.IsInside(caller!, campaign!)
            ? "Members see a campaign from its public notice on." : "This campaign is outside your unit.");
    }

    public Task<IResult> StartAsync(HttpRequest request, DurableTaskClient client, string campaignId) =>
        idempotency.RunAsync(request, () => StartOnceAsync(request, client, campaignId));

    async Task<IResult> StartOnceAsync(HttpRequest request, DurableTaskClient client, string campaignId)
    {
        var (caller, denied) = await auth.AuthenticateAsync(request);
        if (denied is not null) return denied;
        var (campaign, etag, missing) = await access.LoadAsync(campaignId, request.HttpContext.RequestAborted);
        if (missing is not null) return missing.ToResult();
        if (!CampaignAccess.CanRun(caller!, campaign!)) return Problems.Forbidden("Only the organization department of the campaign's unit starts it.");
        string? operation = Idempotency.OperationOf(request);
        // A repeat of a start that claimed and then died before scheduling its orchestration finishes it.
        bool resumed = operation is not null && campaign!.StartOperation == operation;
        if (!resumed)
        {
            if (campaign!.Status != CampaignStatus.Created)
            {
                // A start accepted earlier whose orchestration was never scheduled (its process died, or scheduling
                // failed) is finished now: this 409 is then true. Only once that start is surely abandoned, so as not to
                // race one still in flight.
                if (campaign.Status == CampaignStatus.Running && campaign.BranchCount is null && campaign.StartedAt <= clock.GetUtcNow() - Idempotency.AbandonedAfter
                    && await client.GetInstanceAsync(InstanceIds.Campaign(campaignId), request.HttpContext.RequestAborted) is null)
                {
                    log.LogWarning("Campaign {CampaignId} was started at {StartedAt:O} without its orchestration: scheduling it now", campaignId, campaign.StartedAt);
                    await ScheduleAsync(client, campaign, request.HttpContext.RequestAborted);
                }
                return Problems.Conflict($"The campaign is {campaign.Status}; only a created campaign can start.");
            }
            // Claim the start with the ETag: of two simultaneous starts, one wins and the other gets 409.
            if (!await campaigns.TryReplaceAsync(campaign with { Status = CampaignStatus.Running, StartedAt = clock.GetUtcNow(), StartOperation = operation },
                    etag, request.HttpContext.RequestAborted))
                return Problems.Conflict("The campaign was changed at the same time; read it again.");
        }
        if (!resumed || await client.GetInstanceAsync(InstanceIds.Campaign(campaignId), request.HttpContext.RequestAborted) is null)
            await ScheduleAsync(client, campaign!, request.HttpContext.RequestAborted);
        log.LogInformation("Campaign {CampaignId} started by {CallerId}: instance {InstanceId}", campaignId, caller!.Id, InstanceIds.Campaign(campaignId));
        return Results.Accepted($"/{EvalApi.Prefix}/campaigns/{campaignId}", new CampaignStarted(campaignId, CampaignStatus.Running));
    }

    Task ScheduleAsync(DurableTaskClient client, CampaignRecord campaign, CancellationToken ct) =>
        client.ScheduleNewOrchestrationInstanceAsync(TaskNames.CampaignOrchestrator,
            new CampaignRunInput(campaign.Definition.Id, IsoDuration.Parse(campaign.Definition.Schedule.Publicity))
            {
                Version = CampaignRunInput.CurrentVersion, Recount = outbox.SweepInterval,
            },
            new StartOrchestrationOptions(InstanceIds.Campaign(campaign.Definition.Id)), ct);

    public async Task<IResult> SelfAssessmentSchemaAsync(HttpRequest request, string campaignId)
    {
        var (caller, denied) = await auth.AuthenticateAsync(request);
        if (denied is not null) return denied;
        var (campaign, _, missing) = await access.LoadAsync(campaignId, request.HttpContext.RequestAborted);
        if (missing is not null) return missing.ToResult();
        if (!CampaignAccess.CanSee(caller!, campaign!)) return Problems.Forbidden("This campaign is outside your unit.");
        return Results.Text(SchemaCatalog.SelfAssessment(campaign!.Definition).ToJson(), "application/schema+json");
    }

    public Task<IResult> PublicationAsync(HttpRequest request, DurableTaskClient client, string campaignId) =>
        idempotency.RunAsync(request, () => PublicationOnceAsync(request, client, campaignId));

    async Task<IResult> PublicationOnceAsync(HttpRequest request, DurableTaskClient client, string campaignId)
    {
        var (caller, denied) = await auth.AuthenticateAsync(request);
        if (denied is not null) return denied;
        var (campaign, etag, missing) = await access.LoadAsync(campaignId, request.HttpContext.RequestAborted);
        if (missing is not null) return missing.ToResult();
        if (!CampaignAccess.CanRun(caller!, campaign!)) return Problems.Forbidden("Only the organization department of the campaign's unit publishes.");
        var (body, problem) = await RequestJson.ReadAsync<PublicationRequest>(request, await SchemaCatalog.GetAsync(SchemaCatalog.Publication), optional: true);
        if (problem is not null) return problem;

        string? operation = Idempotency.OperationOf(request);
        var requested = new PublicationRequested(body!.Force, new Actor(caller!.Id, caller.Name, Roles.OrgDepartment), clock.GetUtcNow());
        // A repeat of a request that was recorded and then died before raising its event raises it (a duplicate is ignored).
        if (operation is not null && campaign!.PublicationOperation == operation)
            requested = campaign.PublicationRequest ?? requested with { At = campaign.PublicationRequestedAt ?? requested.At };
        else
        {
            if (campaign!.Status != CampaignStatus.Running || campaign.PublicationRequestedAt is not null)
            {
                // An earlier request accepted and never delivered (its raise failed) is raised again: this 409 is then true.
                await relay.BesideRefusalAsync(() => relay.RelayPublicationAsync(client, campaign, request.HttpContext.RequestAborted), $"campaign {campaignId}");
                return Problems.Conflict($"The campaign is {campaign.Status}{(campaign.PublicationRequestedAt is null ? "" : ", publication already requested")}.");
            }
            if (campaign.BranchCount is null) return Problems.Conflict("The campaign is still starting its evaluations.");
            StageCounts counts = await progress.CountNowAsync(campaignId, request.HttpContext.RequestAborted);
            if (counts.Waiting > 0 && !body!.Force)
                return Problems.Create(StatusCodes.Status409Conflict, "evaluations-unfinished", "Evaluations are still unfinished.",
                    $"{counts.Waiting} evaluations are not done; send {{\"force\":true}} to end them as not-evaluated.",
                    new Dictionary<string, object?> { ["stages"] = counts.Stages });
            if (!await campaigns.TryReplaceAsync(campaign with
                    {
                        PublicationRequestedAt = requested.At, Forced = body.Force, PublicationOperation = operation, PublicationRequest = requested,
                    }, etag, request.HttpContext.RequestAborted))
                return Problems.Conflict("The campaign was changed at the same time; read it again.");
        }
        await client.RaiseEventAsync(InstanceIds.Campaign(campaignId), CampaignEvents.PublicationRequested, requested);
        // The request as recorded: a resumed one acts on what its first attempt stored.
        log.LogInformation("Publication of {CampaignId} requested by {CallerId} (force {Force}), raised to instance {InstanceId}",
            campaignId, requested.By.Id, requested.Force, InstanceIds.Campaign(campaignId));
        return Results.Accepted($"/{EvalApi.Prefix}/campaigns/{campaignId}/ratings",
            new PublicationAccepted(campaignId, requested.Force));
    }

    static CampaignView View(CampaignRecord c, StageCounts? counts) => new(
        c.Definition.Id,
        c.Definition.Title,
        c.Definition.Unit,
        c.Status,
        c.CreatedAt,
        c.StartedAt,
        c.BranchCount,
        c.PublicationRequestedAt,
        c.PublicityEndsAt,
        c.PublishedAt,
        counts is null ? null : new CampaignProgress(counts.Total, counts.Stages, counts.Overdue),
        c.Definition);
}
