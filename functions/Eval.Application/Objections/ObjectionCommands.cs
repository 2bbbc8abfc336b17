using Azure;
using Eval.Workflows.Domain;
using Eval.Workflows.Outbox;
using Eval.Workflows.Schemas;
using Eval.Workflows.Storage;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace Eval.Application.Objections;

public sealed record ObjectionRequest(string BranchId, string Text);

public sealed record ResolutionRequest(bool Upheld, string Comment);

public sealed record ResolutionsRequest(IReadOnlyList<string> ObjectionIds, bool Upheld, string Comment);

/// <summary>What one finding did: the objections it resolved, and those it found resolved already (left as they are).</summary>
public sealed record Resolutions(IReadOnlyList<ObjectionRecord> Resolved, IReadOnlyList<ObjectionRecord> AlreadyResolved);

/// <summary>
/// Objections (异议) during the public notice, and their resolution by the organization department, one at a time or
/// many with one finding. Only callers inside the campaign's unit object, one open objection per caller and branch, at
/// most <see cref="ObjectionOptions.MaxPerCaller"/> per caller and campaign: nobody can hold a campaign's publication
/// hostage with a flood of objections. A resolution is told to the campaign's workflow, which revokes upheld levels.
/// </summary>
public sealed class ObjectionCommands(CampaignAccess access, CampaignStore campaigns, ObjectionStore objections, RatingStore ratings,
    AuditStore audit, AcceptedActionRelay relay, InboxIndex inbox, ObjectionOptions options, TimeProvider clock,
    ILogger<ObjectionCommands> log)
{
    public async Task<Result<ObjectionRecord>> FileAsync(Caller caller, string campaignId, Func<Task<Result<string>>> readBody,
        string? operation, DurableTaskClient client, CancellationToken ct)
    {
        var (campaign, _, missing) = await access.LoadAsync(campaignId, ct);
        if (missing is not null) return missing;
        if (!CampaignAccess.IsInside(caller, campaign!))
            return Problem.Forbidden("Objections are filed by people with a role inside the campaign's unit.");
        Result<ObjectionRequest> body = await CommandBody.ReadAsync<ObjectionRequest>(readBody,
            await SchemaCatalog.GetAsync(SchemaCatalog.Objection));
        if (!body.Ok) return body.Problem;

        // A repeat of a filing that died half-way finishes it: the same check against the notice, the same audit link.
        if (operation is not null && await objections.FiledByAsync(campaignId, caller.Id, body.Value.BranchId, operation, ct) is { } filed)
            return await ConfirmFiledAsync(client, filed);

        DateTimeOffset now = clock.GetUtcNow();
        if (!InNotice(campaign!, now)) return Problem.Conflict("Objections are taken only during the public notice.");
        if (await ratings.GetProposedAsync(campaignId, body.Value.BranchId, ct) is null)
            return Problem.Validation([new FieldError("/branchId", "this branch is not on the proposed list")]);

        var objection = new ObjectionRecord(campaignId, ObjectionIds.New(now), body.Value.BranchId, body.Value.Text,
            new Actor(caller.Id, caller.Name, caller.Roles[0]), now) { FileOperation = operation };
        ObjectionStore.FileResult result = await objections.FileAsync(objection, options.MaxPerCaller, ct);
        return result.Outcome switch
        {
            ObjectionStore.FileOutcome.Filed => await ConfirmFiledAsync(client, objection),
            ObjectionStore.FileOutcome.OpenOnBranch => new Problem(ProblemKind.Conflict, "objection-open",
                "You have an open objection on this branch.", "It is resolved before you may object to the branch again.",
                new Dictionary<string, object?> { ["objectionId"] = result.OpenId }),
            ObjectionStore.FileOutcome.LimitReached => new Problem(ProblemKind.Conflict, "objection-limit",
                "You have filed as many objections as a campaign takes from one person.",
                $"At most {options.MaxPerCaller} objections per person and campaign.",
                new Dictionary<string, object?> { ["limit"] = options.MaxPerCaller }),
            _ => Problem.Conflict("Other objections of yours are being filed at the same time; try again shortly."),
        };
    }

    /// <summary>
    /// The notice may have closed while the objection was written: the campaign closes the notice and then counts the
    /// open objections, so one written after that count must not stand. It may also have been written before the count
    /// and counted: so once it is removed, the campaign is told to count again (else it would wait for it for ever).
    /// </summary>
    async Task<Result<ObjectionRecord>> ConfirmFiledAsync(DurableTaskClient client, ObjectionRecord objection)
    {
        var after = await campaigns.GetAsync(objection.CampaignId);
        if (after is null || !InNotice(after.Value.Record, objection.FiledAt))
        {
            await objections.RemoveAsync(objection);
            if (after?.Record.NoticeClosed == true)
                await RecountAsync(client, objection.CampaignId, objection.Id, upheld: false);
            return Problem.Conflict("The public notice closed while the objection was filed.");
        }
        await audit.AppendToCampaignAsync(objection.CampaignId, new HistoryEntry(objection.FiledAt, objection.FiledBy.Id,
            objection.FiledBy.Role, HistoryActions.ObjectionFiled, $"{objection.Id} on {objection.BranchId}: {objection.Text}"));
        // It waits on the organization department of the campaign's unit until resolved (a repeat writes the same item).
        await inbox.FollowObjectionAsync(objection, after.Value.Record);
        log.LogInformation("Objection {ObjectionId} filed on {CampaignId}/{BranchId} by {CallerId}",
            objection.Id, objection.CampaignId, objection.BranchId, objection.FiledBy.Id);
        return objection;
    }

    public async Task<Result<ObjectionRecord>> ResolveAsync(Caller caller, string campaignId, string objectionId,
        Func<Task<Result<string>>> readBody, string? operation, DurableTaskClient client, CancellationToken ct)
    {
        Result<CampaignRecord> campaign = await ResolverAsync(caller, campaignId, ct);
        if (!campaign.Ok) return campaign.Problem;
        if (!ObjectionIds.IsValid(objectionId)) return Problem.NotFound($"No objection '{objectionId}'.");
        if (await objections.GetAsync(campaignId, objectionId, ct) is not { } found)
            return Problem.NotFound($"No objection '{objectionId}'.");
        Result<ResolutionRequest> body = await CommandBody.ReadAsync<ResolutionRequest>(readBody,
            await SchemaCatalog.GetAsync(SchemaCatalog.ObjectionResolution));
        if (!body.Ok) return body.Problem;

        Decision decision = await DecideAsync(client, caller, campaign.Value, found.Record, found.ETag, body.Value.Upheld,
            body.Value.Comment, operation, ct);
        if (decision.Refusal is not null) return decision.Refusal;
        await FinishAsync(client, campaign.Value, [decision.Resolved!]);
        return decision.Resolved!;
    }

    /// <summary>
    /// One finding for many objections (a notice can draw many about one matter). All ids must exist, or nothing is done;
    /// objections resolved already are left as they are and listed as such. Each resolution is its own audit link.
    /// </summary>
    public async Task<Result<Resolutions>> ResolveManyAsync(Caller caller, string campaignId, Func<Task<Result<string>>> readBody,
        string? operation, DurableTaskClient client, CancellationToken ct)
    {
        Result<CampaignRecord> campaign = await ResolverAsync(caller, campaignId, ct);
        if (!campaign.Ok) return campaign.Problem;
        Result<ResolutionsRequest> body = await CommandBody.ReadAsync<ResolutionsRequest>(readBody,
            await SchemaCatalog.GetAsync(SchemaCatalog.ObjectionResolutions));
        if (!body.Ok) return body.Problem;

        var found = new List<(ObjectionRecord Record, ETag ETag)>();
        var unknown = new List<FieldError>();
        foreach (var (id, i) in body.Value.ObjectionIds.Select((id, i) => (id, i)))
        {
            if (await objections.GetAsync(campaignId, id, ct) is { } o) found.Add(o);
            else unknown.Add(new FieldError($"/objectionIds/{i}", "no objection with this id in this campaign"));
        }
        if (unknown.Count > 0) return Problem.Validation(unknown);

        var resolved = new List<ObjectionRecord>();
        var untouched = new List<ObjectionRecord>();
        foreach (var (record, etag) in found)
        {
            Decision decision = await DecideAsync(client, caller, campaign.Value, record, etag, body.Value.Upheld, body.Value.Comment,
                operation, ct);
            if (decision.Resolved is { } done) resolved.Add(done);
            else if (decision.Current is { } current) untouched.Add(current);
            else return decision.Refusal!;
        }
        await FinishAsync(client, campaign.Value, resolved);
        return new Resolutions(resolved, untouched);
    }

    /// <summary>What a resolution did to one objection: resolved it (now or by this operation's first attempt), found it
    /// resolved by someone else (<see cref="Current"/>), or was refused.</summary>
    sealed record Decision(ObjectionRecord? Resolved, ObjectionRecord? Current = null, Problem? Refusal = null);

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
                Refusal: Problem.Conflict($"The campaign is {campaign.Status}: objections are resolved during its public notice."));
        if (objection.Status != ObjectionStatus.Open)
        {
            // An earlier resolution may have died before its event (a retry without a key lands here): an upheld one's
            // revocation, or the campaign's count after the notice, waits for it, and raising it again is harmless.
            // Its inbox item goes too, should that request have died before it deleted it.
            await inbox.FollowObjectionAsync(objection, campaign, ct);
            if (objection.Status == ObjectionStatus.Upheld || campaign.NoticeClosed)
                await relay.BesideRefusalAsync(
                    () => RecountAsync(client, objection.CampaignId, objection.Id, objection.Status == ObjectionStatus.Upheld),
                    $"objection {objection.Id} on {objection.CampaignId}");
            return new Decision(null, objection, Problem.Conflict($"The objection is {objection.Status} already."));
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
        return new Decision(null, now?.Record, Problem.Conflict("The objection was resolved at the same time by someone else."));
    }

    /// <summary>
    /// After the resolutions are stored: an audit link each, and one event to the campaign's workflow, which revokes the
    /// upheld branches' levels (nobody moves up: no re-ranking) and counts the open objections again. All of it from what
    /// is stored, and all of it harmless to repeat.
    /// </summary>
    async Task FinishAsync(DurableTaskClient client, CampaignRecord campaign, IReadOnlyList<ObjectionRecord> resolved)
    {
        if (resolved.Count == 0) return;
        string campaignId = campaign.Definition.Id;
        foreach (ObjectionRecord o in resolved) await inbox.FollowObjectionAsync(o, campaign);
        await audit.AppendToCampaignAsync(campaignId, [.. resolved.Select(o => new HistoryEntry(o.ResolvedAt!.Value, o.ResolvedBy!.Id,
            o.ResolvedBy.Role, o.Status == ObjectionStatus.Upheld ? HistoryActions.ObjectionUpheld : HistoryActions.ObjectionDismissed,
            $"{o.Id} on {o.BranchId}: {o.Comment}"))]);
        await RecountAsync(client, campaignId, resolved[0].Id, resolved.Any(o => o.Status == ObjectionStatus.Upheld));
        foreach (ObjectionRecord o in resolved)
            log.LogInformation("Objection {ObjectionId} on {CampaignId}/{BranchId} {Status} by {CallerId}, raised to instance {InstanceId}",
                o.Id, campaignId, o.BranchId, o.Status, o.ResolvedBy!.Id, InstanceIds.Campaign(campaignId));
    }

    /// <summary>The organization department of the campaign's unit, or the problem to answer with.</summary>
    async Task<Result<CampaignRecord>> ResolverAsync(Caller caller, string campaignId, CancellationToken ct)
    {
        var (campaign, _, missing) = await access.LoadAsync(campaignId, ct);
        if (missing is not null) return missing;
        if (!CampaignAccess.CanRun(caller, campaign!))
            return Problem.Forbidden("Only the organization department of the campaign's unit resolves objections.");
        return campaign!;
    }

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
