using Eval.Api.Endpoints;
using Eval.Application;
using Eval.Application.Campaigns;
using Eval.Application.Rehearsals;
using Eval.Api.Auth;
using Eval.Api.Http;
using Eval.Workflows.Domain;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.DurableTask.Client;
using NJsonSchema;

namespace Eval.Api.Handlers;

/// <summary>Campaigns over HTTP: the commands of <see cref="CampaignCommands"/>, and the reads of <see cref="CampaignQueries"/>.</summary>
public sealed class CampaignHandlers(Idempotency idempotency, Authenticator auth, CampaignCommands commands, CampaignQueries queries,
    RehearsalCommands rehearsals)
{
    const string Schema = "application/schema+json";

    public Task<IResult> CreateAsync(HttpRequest request) =>
        idempotency.RunAsync(request, async () =>
        {
            Result<CampaignRecord> created = await auth.AuthenticateAsync(request).ThenAsync(caller => commands.CreateAsync(caller,
                () => RequestJson.ReadBodyAsync(request), Idempotency.OperationOf(request), request.HttpContext.RequestAborted));
            return created.Ok
                ? TypedResults.Created($"/{EvalApi.Prefix}/campaigns/{created.Value.Definition.Id}", CampaignView.Of(created.Value, null))
                : created.Problem.ToResult();
        });

    public async Task<Results<Ok<CampaignList>, ProblemHttpResult>> ListAsync(HttpRequest request) =>
        (await auth.AuthenticateAsync(request).ThenAsync(caller =>
            queries.ListAsync(caller, request.Query["status"].FirstOrDefault(), request.HttpContext.RequestAborted))).ToOk();

    /// <summary>All of the campaign for the roles that evaluate; its summary for a member from the public notice on.</summary>
    public async Task<Results<Ok<CampaignView>, Ok<CampaignSummary>, ProblemHttpResult>> GetAsync(HttpRequest request, string campaignId)
    {
        Result<CampaignReading> read = await auth.AuthenticateAsync(request)
            .ThenAsync(caller => queries.GetAsync(caller, campaignId, request.HttpContext.RequestAborted));
        if (!read.Ok) return read.Problem.ToResult();
        return read.Value.View is { } view ? TypedResults.Ok(view) : TypedResults.Ok(read.Value.Summary);
    }

    public Task<IResult> StartAsync(HttpRequest request, DurableTaskClient client, string campaignId) =>
        idempotency.RunAsync(request, async () =>
        {
            Result<CampaignRecord> started = await auth.AuthenticateAsync(request).ThenAsync(caller => commands.StartAsync(caller,
                campaignId, Idempotency.OperationOf(request), client, request.HttpContext.RequestAborted));
            return started.Ok
                ? TypedResults.Accepted($"/{EvalApi.Prefix}/campaigns/{campaignId}",
                    new CampaignStarted(campaignId, CampaignStatus.Running))
                : started.Problem.ToResult();
        });

    public async Task<Results<ContentHttpResult, ProblemHttpResult>> SelfAssessmentSchemaAsync(HttpRequest request, string campaignId)
    {
        Result<JsonSchema> schema = await auth.AuthenticateAsync(request)
            .ThenAsync(caller => queries.SelfAssessmentSchemaAsync(caller, campaignId, request.Query["category"].FirstOrDefault(),
                request.HttpContext.RequestAborted));
        return schema.Ok ? TypedResults.Text(schema.Value.ToJson(), Schema) : schema.Problem.ToResult();
    }

    public Task<IResult> PublicationAsync(HttpRequest request, DurableTaskClient client, string campaignId) =>
        idempotency.RunAsync(request, async () =>
        {
            Result<PublicationRequested> requested = await auth.AuthenticateAsync(request).ThenAsync(caller =>
                commands.RequestPublicationAsync(caller, campaignId, () => RequestJson.ReadBodyAsync(request, optional: true),
                    Idempotency.OperationOf(request), client, request.HttpContext.RequestAborted));
            return requested.Ok
                ? TypedResults.Accepted($"/{EvalApi.Prefix}/campaigns/{campaignId}/ratings",
                    new PublicationAccepted(campaignId, requested.Value.Force))
                : requested.Problem.ToResult();
        });

    /// <summary>A quota rehearsal: counts per level per unit on the real scores, linked into the campaign's audit chain.</summary>
    public async Task<Results<Ok<RehearsalResult>, ProblemHttpResult>> RehearsalAsync(HttpRequest request, string campaignId) =>
        (await auth.AuthenticateAsync(request).ThenAsync(caller => rehearsals.RunAsync(caller, campaignId,
            () => RequestJson.ReadBodyAsync(request), request.HttpContext.RequestAborted))).ToOk();
}
