using Eval.Api.Endpoints;
using Eval.Application;
using Eval.Application.Campaigns;
using Eval.Api.Auth;
using Eval.Api.Http;
using Eval.Workflows.Domain;
using Eval.Workflows.Schemas;
using Eval.Workflows.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;

namespace Eval.Api.Handlers;

/// <summary>Campaigns over HTTP: the commands of <see cref="CampaignCommands"/>, and reading campaigns.</summary>
public sealed class CampaignHandlers(Idempotency idempotency, Authenticator auth, CampaignAccess access, CampaignStore campaigns,
    StageCounter progress, CampaignCommands commands)
{
    public Task<IResult> CreateAsync(HttpRequest request) =>
        idempotency.RunAsync(request, async () =>
        {
            var (caller, denied) = await auth.AuthenticateAsync(request);
            if (denied is not null) return denied;
            Result<CampaignRecord> created = await commands.CreateAsync(caller!, () => RequestJson.ReadBodyAsync(request),
                Idempotency.OperationOf(request), request.HttpContext.RequestAborted);
            return created.Ok
                ? Results.Created($"/{EvalApi.Prefix}/campaigns/{created.Value.Definition.Id}", View(created.Value, null))
                : created.Problem.ToResult();
        });

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
        idempotency.RunAsync(request, async () =>
        {
            var (caller, denied) = await auth.AuthenticateAsync(request);
            if (denied is not null) return denied;
            Result<CampaignRecord> started = await commands.StartAsync(caller!, campaignId, Idempotency.OperationOf(request), client,
                request.HttpContext.RequestAborted);
            return started.Ok
                ? Results.Accepted($"/{EvalApi.Prefix}/campaigns/{campaignId}", new CampaignStarted(campaignId, CampaignStatus.Running))
                : started.Problem.ToResult();
        });

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
        idempotency.RunAsync(request, async () =>
        {
            var (caller, denied) = await auth.AuthenticateAsync(request);
            if (denied is not null) return denied;
            Result<PublicationRequested> requested = await commands.RequestPublicationAsync(caller!, campaignId,
                () => RequestJson.ReadBodyAsync(request, optional: true), Idempotency.OperationOf(request), client,
                request.HttpContext.RequestAborted);
            return requested.Ok
                ? Results.Accepted($"/{EvalApi.Prefix}/campaigns/{campaignId}/ratings",
                    new PublicationAccepted(campaignId, requested.Value.Force))
                : requested.Problem.ToResult();
        });

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
