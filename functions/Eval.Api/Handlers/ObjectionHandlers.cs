using Azure;
using Azure.Data.Tables;
using Eval.Api.Endpoints;
using Eval.Application;
using Eval.Application.Objections;
using Eval.Api.Auth;
using Eval.Api.Http;
using Eval.Workflows.Domain;
using Eval.Workflows.Schemas;
using Eval.Workflows.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;

namespace Eval.Api.Handlers;

/// <summary>Objections over HTTP: the commands of <see cref="ObjectionCommands"/>, and reading objections.</summary>
public sealed class ObjectionHandlers(Idempotency idempotency, Authenticator auth, CampaignAccess access, ObjectionStore objections,
    ObjectionCommands commands)
{
    public const int MaxPageSize = 200;

    public Task<IResult> FileAsync(HttpRequest request, DurableTaskClient client, string campaignId) =>
        idempotency.RunAsync(request, async () =>
        {
            var (caller, denied) = await auth.AuthenticateAsync(request);
            if (denied is not null) return denied;
            Result<ObjectionRecord> filed = await commands.FileAsync(caller!, campaignId, () => RequestJson.ReadBodyAsync(request),
                Idempotency.OperationOf(request), client, request.HttpContext.RequestAborted);
            return filed.Ok
                ? Results.Accepted($"/{EvalApi.Prefix}/campaigns/{campaignId}/objections/{filed.Value.Id}",
                    new ObjectionAccepted(filed.Value.Id, filed.Value.Status))
                : filed.Problem.ToResult();
        });

    public Task<IResult> ResolveAsync(HttpRequest request, DurableTaskClient client, string campaignId, string objectionId) =>
        idempotency.RunAsync(request, async () =>
        {
            var (caller, denied) = await auth.AuthenticateAsync(request);
            if (denied is not null) return denied;
            Result<ObjectionRecord> resolved = await commands.ResolveAsync(caller!, campaignId, objectionId,
                () => RequestJson.ReadBodyAsync(request), Idempotency.OperationOf(request), client, request.HttpContext.RequestAborted);
            return resolved.Ok ? Results.Ok(ResolutionView(resolved.Value)) : resolved.Problem.ToResult();
        });

    public Task<IResult> ResolveManyAsync(HttpRequest request, DurableTaskClient client, string campaignId) =>
        idempotency.RunAsync(request, async () =>
        {
            var (caller, denied) = await auth.AuthenticateAsync(request);
            if (denied is not null) return denied;
            Result<Resolutions> done = await commands.ResolveManyAsync(caller!, campaignId, () => RequestJson.ReadBodyAsync(request),
                Idempotency.OperationOf(request), client, request.HttpContext.RequestAborted);
            return done.Ok
                ? Results.Ok(new ObjectionResolutionsView(campaignId, [.. done.Value.Resolved.Select(ResolutionView)],
                    [.. done.Value.AlreadyResolved.Select(ResolutionView)]))
                : done.Problem.ToResult();
        });

    /// <summary>
    /// A page of the campaign's objections in the order they were filed: all of them for the organization department,
    /// one's own for anyone else inside the campaign's unit.
    /// </summary>
    public async Task<IResult> ListAsync(HttpRequest request, string campaignId)
    {
        var (caller, denied) = await auth.AuthenticateAsync(request);
        if (denied is not null) return denied;
        var (campaign, _, missing) = await access.LoadAsync(campaignId, request.HttpContext.RequestAborted);
        if (missing is not null) return missing.ToResult();
        bool all = CampaignAccess.CanRun(caller!, campaign!);
        if (!all && !CampaignAccess.IsInside(caller!, campaign!))
            return Problems.Forbidden(
                "Objections are listed for the organization department of the campaign's unit, and for their filers inside it.");

        IQueryCollection q = request.Query;
        string? status = q["status"].FirstOrDefault();
        if (status is not null && !ObjectionStatus.All.Contains(status))
            return Problems.Validation([new FieldError("/query/status", $"one of {string.Join(", ", ObjectionStatus.All)}")]);
        int pageSize = 50;
        if (q["pageSize"].FirstOrDefault() is { } size && (!int.TryParse(size, out pageSize) || pageSize is < 1 or > MaxPageSize))
            return Problems.Validation([new FieldError("/query/pageSize", $"an integer from 1 to {MaxPageSize}")]);
        string? filer = all ? null : caller!.Id;
        string listing = $"objections:{status}:{(filer is null ? "" : ObjectionStore.FilerKey(filer))}";
        string? token = null;
        if (q["continuationToken"].FirstOrDefault() is { } given && (token = PageToken.Open(given, campaignId, listing, null)) is null)
            return Problems.Validation([new FieldError("/query/continuationToken",
                "not a token this API gave for this campaign and listing")]);

        try
        {
            await foreach (Page<TableEntity> page in objections.Query(campaignId, status, filer, pageSize)
                               .AsPages(token, pageSize).WithCancellation(request.HttpContext.RequestAborted))
                return Results.Ok(new ObjectionList(campaignId, [.. page.Values.Select(e => View(ObjectionStore.FromEntity(e)))],
                    page.ContinuationToken is { } next ? PageToken.Seal(next, campaignId, listing, null) : null));
            return Results.Ok(new ObjectionList(campaignId, [], null));
        }
        catch (RequestFailedException e) when (e.Status is 400 or 404)
        {
            return Problems.Validation([new FieldError("/query/continuationToken", "not a token this API gave")]);
        }
    }

    /// <summary>The organization department sees every objection, its filer sees its own; to anyone else it does not exist.</summary>
    public async Task<IResult> GetAsync(HttpRequest request, string campaignId, string objectionId)
    {
        var (caller, denied) = await auth.AuthenticateAsync(request);
        if (denied is not null) return denied;
        var (campaign, _, missing) = await access.LoadAsync(campaignId, request.HttpContext.RequestAborted);
        if (missing is not null) return missing.ToResult();
        var found = ObjectionIds.IsValid(objectionId)
            ? await objections.GetAsync(campaignId, objectionId, request.HttpContext.RequestAborted)
            : null;
        if (found is not { } o || !(CampaignAccess.CanRun(caller!, campaign!) || o.Record.FiledBy.Id == caller!.Id))
            return Problems.NotFound($"No objection '{objectionId}'.");
        return Results.Ok(View(o.Record));
    }

    static ObjectionResolutionView ResolutionView(ObjectionRecord o) => new(o.Id, o.BranchId, o.Status, o.Comment, o.ResolvedAt);

    static ObjectionView View(ObjectionRecord o) =>
        new(o.Id, o.BranchId, o.Text, o.FiledBy, o.FiledAt, o.Status, o.Comment, o.ResolvedBy, o.ResolvedAt);
}
