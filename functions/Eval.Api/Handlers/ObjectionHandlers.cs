using Eval.Api.Auth;
using Eval.Api.Http;
using Eval.Workflows.Domain;
using Eval.Workflows.Outbox;
using Eval.Workflows.Schemas;
using Eval.Workflows.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.DurableTask.Client;

namespace Eval.Api.Handlers;

/// <summary>Objections (异议) during the public notice, and their resolution by the organization department.</summary>
public sealed class ObjectionHandlers(Idempotency idempotency, Authenticator auth, CampaignAccess access, CampaignStore campaigns, ObjectionStore objections,
    RatingStore ratings, AuditStore audit, AcceptedActionRelay relay, TimeProvider clock,
    ILogger<ObjectionHandlers> log)
{
    public sealed record ObjectionRequest(string BranchId, string Text);

    public sealed record ResolutionRequest(bool Upheld, string Comment);

    public Task<IResult> FileAsync(HttpRequest request, DurableTaskClient client, string campaignId) =>
        idempotency.RunAsync(request, () => FileOnceAsync(request, client, campaignId));

    async Task<IResult> FileOnceAsync(HttpRequest request, DurableTaskClient client, string campaignId)
    {
        var (caller, denied) = await auth.AuthenticateAsync(request);
        if (denied is not null) return denied;
        var (campaign, _, missing) = await access.LoadAsync(campaignId, request.HttpContext.RequestAborted);
        if (missing is not null) return missing;
        var (body, invalid) = await RequestJson.ReadAsync<ObjectionRequest>(request, await SchemaCatalog.GetAsync(SchemaCatalog.Objection));
        if (invalid is not null) return invalid;

        // With an Idempotency-Key the id comes from the operation, so a repeat after a crash finds the objection it filed.
        string? operation = Idempotency.OperationOf(request);
        string id = "obj-" + (operation?[..32] ?? Guid.NewGuid().ToString("N"));
        // A repeat of a filing that died half-way finishes it: the same check against the notice, the same audit link.
        if (operation is not null && await objections.GetAsync(campaignId, id, request.HttpContext.RequestAborted) is { } filed)
            return await ConfirmFiledAsync(client, filed.Record);

        DateTimeOffset now = clock.GetUtcNow();
        if (!InNotice(campaign!, now)) return Problems.Conflict("Objections are taken only during the public notice.");
        if (await ratings.GetProposedAsync(campaignId, body!.BranchId, request.HttpContext.RequestAborted) is null)
            return Problems.Validation([new FieldError("/branchId", "this branch is not on the proposed list")]);

        var objection = new ObjectionRecord(campaignId, id, body.BranchId, body.Text,
            new Actor(caller!.Id, caller.Name, caller.Roles.FirstOrDefault() ?? Roles.Member), now);
        if (!await objections.TryAddAsync(objection, request.HttpContext.RequestAborted))
            return Problems.Conflict("This objection is being filed by a request with the same Idempotency-Key; try again shortly.");
        return await ConfirmFiledAsync(client, objection);
    }

    /// <summary>
    /// The notice may have closed while the objection was written: the campaign closes the notice and then counts the
    /// open objections, so one written after that count must not stand. It may also have been written before the count
    /// and counted: so once it is removed, the campaign is told to count again (else it would wait for it for ever).
    /// </summary>
    async Task<IResult> ConfirmFiledAsync(DurableTaskClient client, ObjectionRecord objection)
    {
        var after = await campaigns.GetAsync(objection.CampaignId);
        if (after is null || !InNotice(after.Value.Record, objection.FiledAt))
        {
            await objections.DeleteAsync(objection.CampaignId, objection.Id);
            if (after?.Record.NoticeClosed == true)
                await RecountAsync(client, objection, upheld: false);
            return Problems.Conflict("The public notice closed while the objection was filed.");
        }
        await audit.AppendToCampaignAsync(objection.CampaignId, new HistoryEntry(objection.FiledAt, objection.FiledBy.Id, objection.FiledBy.Role, "objection-filed",
            $"{objection.Id} on {objection.BranchId}: {objection.Text}"));
        log.LogInformation("Objection {ObjectionId} filed on {CampaignId}/{BranchId} by {CallerId}", objection.Id, objection.CampaignId, objection.BranchId, objection.FiledBy.Id);
        return FiledResult(objection);
    }

    static IResult FiledResult(ObjectionRecord o) =>
        Results.Accepted($"/{ApiRoutes.Prefix}/campaigns/{o.CampaignId}/objections/{o.Id}", new ObjectionAccepted(o.Id, o.Status));

    public Task<IResult> ResolveAsync(HttpRequest request, DurableTaskClient client, string campaignId, string objectionId) =>
        idempotency.RunAsync(request, () => ResolveOnceAsync(request, client, campaignId, objectionId));

    async Task<IResult> ResolveOnceAsync(HttpRequest request, DurableTaskClient client, string campaignId, string objectionId)
    {
        var (caller, denied) = await auth.AuthenticateAsync(request);
        if (denied is not null) return denied;
        var (campaign, _, missing) = await access.LoadAsync(campaignId, request.HttpContext.RequestAborted);
        if (missing is not null) return missing;
        if (!CampaignAccess.CanRun(caller!, campaign!)) return Problems.Forbidden("Only the organization department of the campaign's unit resolves objections.");
        if (!IsObjectionId(objectionId)) return Problems.NotFound($"No objection '{objectionId}'.");
        var found = await objections.GetAsync(campaignId, objectionId, request.HttpContext.RequestAborted);
        if (found is null) return Problems.NotFound($"No objection '{objectionId}'.");
        var (body, invalid) = await RequestJson.ReadAsync<ResolutionRequest>(request, await SchemaCatalog.GetAsync(SchemaCatalog.ObjectionResolution));
        if (invalid is not null) return invalid;
        var (objection, etag) = found.Value;
        string? operation = Idempotency.OperationOf(request);
        ObjectionRecord resolved;
        // A repeat of a resolution that was recorded and then died before it finished completes the rest.
        if (operation is not null && objection.ResolveOperation == operation)
            resolved = objection;
        else
        {
            if (campaign!.Status != CampaignStatus.Publicity)
                return Problems.Conflict($"The campaign is {campaign.Status}: objections are resolved during its public notice.");
            if (objection.Status != ObjectionStatus.Open)
            {
                // An earlier resolution may have died before its revocation or its event (a retry without a key lands
                // here): both are done again, as both are harmless to repeat. Then this 409 is true.
                await relay.BesideRefusalAsync(async () =>
                {
                    if (objection.Status == ObjectionStatus.Upheld) await ratings.RevokeAsync(campaignId, objection.BranchId);
                    if (campaign.NoticeClosed) await RecountAsync(client, objection, objection.Status == ObjectionStatus.Upheld);
                }, $"objection {objection.Id} on {campaignId}");
                return Problems.Conflict($"The objection is {objection.Status} already.");
            }
            resolved = objection with
            {
                Status = body!.Upheld ? ObjectionStatus.Upheld : ObjectionStatus.Dismissed,
                Comment = body.Comment,
                ResolvedBy = new Actor(caller!.Id, caller.Name, Roles.OrgDepartment),
                ResolvedAt = clock.GetUtcNow(),
                ResolveOperation = operation,
            };
            if (!await objections.TryReplaceAsync(resolved, etag, request.HttpContext.RequestAborted))
                return Problems.Conflict("The objection was resolved at the same time by someone else.");
        }
        // Upheld: the branch's level is revoked on the list; nobody moves up (no re-ranking).
        if (body!.Upheld) await ratings.RevokeAsync(campaignId, objection.BranchId);
        await audit.AppendToCampaignAsync(campaignId, new HistoryEntry(resolved.ResolvedAt!.Value, resolved.ResolvedBy!.Id, resolved.ResolvedBy.Role,
            body.Upheld ? "objection-upheld" : "objection-dismissed", $"{objection.Id} on {objection.BranchId}: {body.Comment}"));
        await RecountAsync(client, objection, body.Upheld);
        log.LogInformation("Objection {ObjectionId} on {CampaignId}/{BranchId} {Status} by {CallerId}, raised to instance {InstanceId}",
            objection.Id, campaignId, objection.BranchId, resolved.Status, caller!.Id, InstanceIds.Campaign(campaignId));
        return Results.Ok(new ObjectionResolutionView(resolved.Id, resolved.BranchId, resolved.Status, resolved.Comment, resolved.ResolvedAt));
    }

    public async Task<IResult> ListAsync(HttpRequest request, string campaignId)
    {
        var (caller, denied) = await auth.AuthenticateAsync(request);
        if (denied is not null) return denied;
        var (campaign, _, missing) = await access.LoadAsync(campaignId, request.HttpContext.RequestAborted);
        if (missing is not null) return missing;
        if (!CampaignAccess.CanRun(caller!, campaign!)) return Problems.Forbidden("Only the organization department of the campaign's unit sees its objections.");
        string? status = request.Query["status"].FirstOrDefault();
        if (status is not null && !ObjectionStatus.All.Contains(status))
            return Problems.Validation([new FieldError("/query/status", $"one of {string.Join(", ", ObjectionStatus.All)}")]);
        List<ObjectionRecord> list = await objections.ListAsync(campaignId, status, request.HttpContext.RequestAborted);
        return Results.Ok(new ObjectionList(campaignId, [.. list.Select(View)]));
    }

    /// <summary>The organization department sees every objection, its filer sees its own; to anyone else it does not exist.</summary>
    public async Task<IResult> GetAsync(HttpRequest request, string campaignId, string objectionId)
    {
        var (caller, denied) = await auth.AuthenticateAsync(request);
        if (denied is not null) return denied;
        var (campaign, _, missing) = await access.LoadAsync(campaignId, request.HttpContext.RequestAborted);
        if (missing is not null) return missing;
        var found = IsObjectionId(objectionId) ? await objections.GetAsync(campaignId, objectionId, request.HttpContext.RequestAborted) : null;
        if (found is not { } o || !(CampaignAccess.CanRun(caller!, campaign!) || o.Record.FiledBy.Id == caller!.Id))
            return Problems.NotFound($"No objection '{objectionId}'.");
        return Results.Ok(View(o.Record));
    }

    static ObjectionView View(ObjectionRecord o) =>
        new(o.Id, o.BranchId, o.Text, o.FiledBy, o.FiledAt, o.Status, o.Comment, o.ResolvedBy, o.ResolvedAt);

    /// <summary>Tells the campaign an objection is no longer open, so that it counts the open ones again (a repeat is harmless).</summary>
    static Task RecountAsync(DurableTaskClient client, ObjectionRecord objection, bool upheld) =>
        client.RaiseEventAsync(InstanceIds.Campaign(objection.CampaignId), CampaignEvents.ObjectionResolved, new ObjectionResolved(objection.Id, upheld));

    static bool InNotice(CampaignRecord c, DateTimeOffset now) =>
        c.Status == CampaignStatus.Publicity && !c.NoticeClosed && c.PublicityEndsAt is { } end && now < end;

    static bool IsObjectionId(string id) => id.Length == 36 && id.StartsWith("obj-", StringComparison.Ordinal) && !id.AsSpan(4).ContainsAnyExcept("0123456789abcdef");
}
