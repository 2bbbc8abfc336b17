using Azure;
using Azure.Data.Tables;
using Eval.Api.Endpoints;
using Eval.Application;
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

/// <summary>
/// Objections (异议) during the public notice, and their resolution by the organization department, one at a time or
/// many with one finding. Only callers inside the campaign's unit object, one open objection per caller and branch, at
/// most <see cref="ObjectionOptions.MaxPerCaller"/> per caller and campaign: nobody can hold a campaign's
/// publication hostage with a flood of objections.
/// </summary>
public sealed class ObjectionHandlers(Idempotency idempotency, Authenticator auth, CampaignAccess access, CampaignStore campaigns,
    ObjectionStore objections, RatingStore ratings, AuditStore audit, AcceptedActionRelay relay,
    ObjectionOptions options, TimeProvider clock, ILogger<ObjectionHandlers> log)
{
    public const int MaxPageSize = 200;

    public sealed record ObjectionRequest(string BranchId, string Text);

    public sealed record ResolutionRequest(bool Upheld, string Comment);

    public sealed record ResolutionsRequest(IReadOnlyList<string> ObjectionIds, bool Upheld, string Comment);

    public Task<IResult> FileAsync(HttpRequest request, DurableTaskClient client, string campaignId) =>
        idempotency.RunAsync(request, () => FileOnceAsync(request, client, campaignId));

    async Task<IResult> FileOnceAsync(HttpRequest request, DurableTaskClient client, string campaignId)
    {
        var (caller, denied) = await auth.AuthenticateAsync(request);
        if (denied is not null) return denied;
        CancellationToken ct = request.HttpContext.RequestAborted;
        var (campaign, _, missing) = await access.LoadAsync(campaignId, ct);
        if (missing is not null) return missing.ToResult();
        if (!CampaignAccess.IsInside(caller!, campaign!))
            return Problems.Forbidden("Objections are filed by people with a role inside the campaign's unit.");
        var (body, invalid) = await RequestJson.ReadAsync<ObjectionRequest>(request, await SchemaCatalog.GetAsync(SchemaCatalog.Objection));
        if (invalid is not null) return invalid;

        // A repeat of a filing that died half-way finishes it: the same check against the notice, the same audit link.
        string? operation = Idempotency.OperationOf(request);
        if (operation is not null && await objections.FiledByAsync(campaignId, caller!.Id, body!.BranchId, operation, ct) is { } filed)
            return await ConfirmFiledAsync(client, filed);

        DateTimeOffset now = clock.GetUtcNow();
        if (!InNotice(campaign!, now)) return Problems.Conflict("Objections are taken only during the public notice.");
        if (await ratings.GetProposedAsync(campaignId, body!.BranchId, ct) is null)
            return Problems.Validation([new FieldError("/branchId", "this branch is not on the proposed list")]);

        var objection = new ObjectionRecord(campaignId, ObjectionIds.New(now), body.BranchId, body.Text,
            new Actor(caller!.Id, caller.Name, caller.Roles[0]), now) { FileOperation = operation };
        ObjectionStore.FileResult result = await objections.FileAsync(objection, options.MaxPerCaller, ct);
        return result.Outcome switch
        {
            ObjectionStore.FileOutcome.Filed => await ConfirmFiledAsync(client, objection),
            ObjectionStore.FileOutcome.OpenOnBranch => Problems.Create(StatusCodes.Status409Conflict, "objection-open",
                "You have an open objection on this branch.", "It is resolved before you may object to the branch again.",
                new Dictionary<string, object?> { ["objectionId"] = result.OpenId }),
            ObjectionStore.FileOutcome.LimitReached => Problems.Create(StatusCodes.Status409Conflict, "objection-limit",
                "You have filed as many objections as a campaign takes from one person.",
                $"At most {options.MaxPerCaller} objections per person and campaign.",
                new Dictionary<string, object?> { ["limit"] = options.MaxPerCaller }),
            _ => Problems.Conflict("Other objections of yours are being filed at the same time; try again shortly."),
        };
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
            await objections.RemoveAsync(objection);
            if (after?.Record.NoticeClosed == true)
                await RecountAsync(client, objection.CampaignId, objection.Id, upheld: false);
            return Problems.Conflict("The public notice closed while the objection was filed.");
        }
        await audit.AppendToCampaignAsync(objection.CampaignId, new HistoryEntry(objection.FiledAt, objection.FiledBy.Id,
            objection.FiledBy.Role, HistoryActions.ObjectionFiled, $"{objection.Id} on {objection.BranchId}: {objection.Text}"));
        log.LogInformation("Objection {ObjectionId} filed on {CampaignId}/{BranchId} by {CallerId}",
            objection.Id, objection.CampaignId, objection.BranchId, objection.FiledBy.Id);
        return Results.Accepted($"/{EvalApi.Prefix}/campaigns/{objection.CampaignId}/objections/{objection.Id}",
            new ObjectionAccepted(objection.Id, objection.Status));
    }

    public Task<IResult> ResolveAsync(HttpRequest request, DurableTaskClient client, string campaignId, string objectionId) =>
        idempotency.RunAsync(request, () => ResolveOnceAsync(request, client, campaignId, objectionId));

    async Task<IResult> ResolveOnceAsync(HttpRequest request, DurableTaskClient client, string campaignId, string objectionId)
    {
        var (caller, campaign, problem) = await ResolverAsync(request, campaignId);
        if (problem is not null) return problem;
        if (!ObjectionIds.IsValid(objectionId)) return Problems.NotFound($"No objection '{objectionId}'.");
        var found = await objections.GetAsync(campaignId, objectionId, request.HttpContext.RequestAborted);
        if (found is null) return Problems.NotFound($"No objection '{objectionId}'.");
        var (body, invalid) = await RequestJson.ReadAsync<ResolutionRequest>(request,
            await SchemaCatalog.GetAsync(SchemaCatalog.ObjectionResolution));
        if (invalid is not null) return invalid;

        Decision decision = await DecideAsync(client, caller!, campaign!, found.Value.Record, found.Value.ETag, body!.Upheld, body.Comment,
            Idempotency.OperationOf(request), request.HttpContext.RequestAborted);
        if (decision.Refusal is not null) return decision.Refusal;
        ObjectionRecord resolved = decision.Resolved!;
        await FinishAsync(client, campaignId, [resolved]);
        return Results.Ok(ResolutionView(resolved));
    }

    public Task<IResult> ResolveManyAsync(HttpRequest request, DurableTaskClient client, string campaignId) =>
        idempotency.RunAsync(request, () => ResolveManyOnceAsync(request, client, campaignId));

    /// <summary>
    /// One finding for many objections (a notice can draw many about one matter). All ids must exist, or nothing is done;
    /// objections resolved already are left as they are and listed as such. Each resolution is its own audit link.
    /// </summary>
    async Task<IResult> ResolveManyOnceAsync(HttpRequest request, DurableTaskClient client, string campaignId)
    {
        var (caller, campaign, problem) = await ResolverAsync(request, campaignId);
        if (problem is not null) return problem;
        var (body, invalid) = await RequestJson.ReadAsync<ResolutionsRequest>(request,
            await SchemaCatalog.GetAsync(SchemaCatalog.ObjectionResolutions));
        if (invalid is not null) return invalid;
        CancellationToken ct = request.HttpContext.RequestAborted;

        var found = new List<(ObjectionRecord Record, ETag ETag)>();
        var unknown = new List<FieldError>();
        foreach (var (id, i) in body!.ObjectionIds.Select((id, i) => (id, i)))
        {
            if (await objections.GetAsync(campaignId, id, ct) is { } o) found.Add(o);
            else unknown.Add(new FieldError($"/objectionIds/{i}", "no objection with this id in this campaign"));
        }
        if (unknown.Count > 0) return Problems.Validation(unknown);

        string? operation = Idempotency.OperationOf(request);
        var resolved = new List<ObjectionRecord>();
        var untouched = new List<ObjectionRecord>();
        foreach (var (record, etag) in found)
        {
            Decision decision = await DecideAsync(client, caller!, campaign!, record, etag, body.Upheld, body.Comment, operation, ct);
            if (decision.Resolved is { } done) resolved.Add(done);
            else if (decision.Current is { } current) untouched.Add(current);
            else return decision.Refusal!;
        }
        await FinishAsync(client, campaignId, resolved);
        return Results.Ok(new ObjectionResolutionsView(campaignId, [.. resolved.Select(ResolutionView)],
            [.. untouched.Select(ResolutionView)]));
    }

    /// <summary>What a resolution did to one objection: resolved it (now or by this operation's first attempt), found it
    /// resolved by someone else (<see cref="Current"/>), or was refused.</summary>
    sealed record Decision(ObjectionRecord? Resolved, ObjectionRecord? Current = null, IResult? Refusal = null);

    /// <summary>
    /// Resolves one objection, or recognises that this operation resolved it before. A repeat acts on what the first
    /// attempt stored, never on a new body (the Idempotency-Key binds its body, and the stored finding is used here).
    /// </summary>
    async Task<Decision> DecideAsync(DurableTaskClient client, Caller caller, CampaignRecord campaign, ObjectionRecord objection, ETag etag,
        bool upheld, string comment, string? operation, CancellationToken ct)
    {
        if (operation is not null && objection.ResolveOperation == operation) return new Decision(objection);
        if (campaign.Status != CampaignStatus.Publicity)
            return new Decision(null,
                Refusal: Problems.Conflict($"The campaign is {campaign.Status}: objections are resolved during its public notice."));
        if (objection.Status != ObjectionStatus.Open)
        {
            // An earlier resolution may have died before its event (a retry without a key lands here): an upheld one's
            // revocation, or the campaign's count after the notice, waits for it, and raising it again is harmless.
            if (objection.Status == ObjectionStatus.Upheld || campaign.NoticeClosed)
                await relay.BesideRefusalAsync(
                    () => RecountAsync(client, objection.CampaignId, objection.Id, objection.Status == ObjectionStatus.Upheld),
                    $"objection {objection.Id} on {objection.CampaignId}");
            return new Decision(null, objection, Problems.Conflict($"The objection is {objection.Status} already."));
        }
        ObjectionRecord resolved = objection with
        {
            Status = upheld ? ObjectionStatus.Upheld : ObjectionStatus.Dismissed,
            Comment = comment,
            ResolvedBy = new Actor(caller.Id, caller.Name, Roles.OrgDepartment),
            ResolvedAt = clock.GetUtcNow(),
            ResolveOperation = operation,
        };
        if (await objections.TryResolveAsync(resolved, etag, ct)) return new Decision(resolved);
        // Resolved by someone else in between: as found resolved.
        var now = await objections.GetAsync(objection.CampaignId, objection.Id, ct);
        return new Decision(null, now?.Record, Problems.Conflict("The objection was resolved at the same time by someone else."));
    }

    /// <summary>
    /// After the resolutions are stored: an audit link each, and one event to the campaign's workflow, which revokes the
    /// upheld branches' levels (nobody moves up: no re-ranking) and counts the open objections again. All of it from what
    /// is stored, and all of it harmless to repeat.
    /// </summary>
    async Task FinishAsync(DurableTaskClient client, string campaignId, IReadOnlyList<ObjectionRecord> resolved)
    {
        if (resolved.Count == 0) return;
        await audit.AppendToCampaignAsync(campaignId, [.. resolved.Select(o => new HistoryEntry(o.ResolvedAt!.Value, o.ResolvedBy!.Id,
            o.ResolvedBy.Role, o.Status == ObjectionStatus.Upheld ? HistoryActions.ObjectionUpheld : HistoryActions.ObjectionDismissed,
            $"{o.Id} on {o.BranchId}: {o.Comment}"))]);
        await RecountAsync(client, campaignId, resolved[0].Id, resolved.Any(o => o.Status == ObjectionStatus.Upheld));
        foreach (ObjectionRecord o in resolved)
            log.LogInformation("Objection {ObjectionId} on {CampaignId}/{BranchId} {Status} by {CallerId}, raised to instance {InstanceId}",
                o.Id, campaignId, o.BranchId, o.Status, o.ResolvedBy!.Id, InstanceIds.Campaign(campaignId));
    }

    /// <summary>The organization department of the campaign's unit, or the problem to answer with.</summary>
    async Task<(Caller? Caller, CampaignRecord? Campaign, IResult? Problem)> ResolverAsync(HttpRequest request, string campaignId)
    {
        var (caller, denied) = await auth.AuthenticateAsync(request);
        if (denied is not null) return (null, null, denied);
        var (campaign, _, missing) = await access.LoadAsync(campaignId, request.HttpContext.RequestAborted);
        if (missing is not null) return (null, null, missing.ToResult());
        if (!CampaignAccess.CanRun(caller!, campaign!))
            return (null, null, Problems.Forbidden("Only the organization department of the campaign's unit resolves objections."));
        return (caller, campaign, null);
    }

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

    /// <summary>
    /// Tells the campaign an objection is no longer open: it revokes the level of an upheld one, and counts the open ones
    /// again (a repeat is harmless).
    /// </summary>
    static Task RecountAsync(DurableTaskClient client, string campaignId, string objectionId, bool upheld) =>
        client.RaiseEventAsync(InstanceIds.Campaign(campaignId), CampaignEvents.ObjectionResolved,
            new ObjectionResolved(objectionId, upheld));

    static bool InNotice(CampaignRecord c, DateTimeOffset now) =>
        c.Status == CampaignStatus.Publicity && !c.NoticeClosed && c.PublicityEndsAt is { } end && now < end;
}
