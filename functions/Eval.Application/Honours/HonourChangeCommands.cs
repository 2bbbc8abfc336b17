using Eval.Application.Evidence;
using Eval.Application.Objections;
using Eval.Workflows;
using Eval.Workflows.Domain;
using Eval.Workflows.Notifications;
using Eval.Workflows.Outbox;
using Eval.Workflows.Schemas;
using Eval.Workflows.Storage;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace Eval.Application.Honours;

public sealed record HonourChangeRequest(string Kind, string? ToLevel, string ReasonCategory, string Description,
    IReadOnlyList<string>? Evidence);

public sealed record HonourChangeDecisionRequest(bool Approve, string Comment, bool Notice = false);

public sealed record HonourChangeObjectionRequest(string Text);

public sealed record HonourChangeEvidenceRequest(string Title, string FileName, string ContentType, long Size);

/// <summary>
/// Demotions and revocations of honours through the year (动态管理). A county scorer or township reviewer over the branch
/// proposes one, citing files uploaded for it; the organization department over the branch's county decides by the
/// campaign's deadline, after it only the one of the campaign's unit; during an approval's public notice anyone inside the
/// campaign's unit may object once, and the organization department resolves. Each decision and objection is stored on
/// the change's row (conditional on its ETag) and linked into the change's audit chain before the change's workflow is
/// told; the workflow reads the row, so a repeat of any of these requests is harmless.
/// </summary>
public sealed class HonourChangeCommands(CampaignAccess access, HonourStore honours, HonourChangeStore changes, EvidenceStore evidence,
    EvidenceCommands files, AuditStore audit, AcceptedActionRelay relay, OutboxOptions outbox, OutboxBinding binding, InboxIndex inbox,
    ReminderScheduler reminders, TimeProvider clock, ILogger<HonourChangeCommands> log)
{
    const string ProposersOnly = "Changes of an honour are proposed by a county scorer or township reviewer over the branch.";
    const string DecidersOnly = "Changes of an honour are decided by the organization department over the branch's county.";

    /// <summary>A county scorer or township reviewer covering the branch: who proposes changes and uploads their files.</summary>
    public static string? ProposerRole(Caller caller, string branchId) =>
        caller.CanActOn(Roles.CountyScorer, branchId) ? Roles.CountyScorer
        : caller.CanActOn(Roles.TownshipReviewer, branchId) ? Roles.TownshipReviewer : null;

    /// <summary>The organization department at the branch's county or above: who decides, and resolves objections.</summary>
    public static bool CoversCounty(Caller caller, string branchId) =>
        UnitPath.IsValid(branchId) && caller.CanActOn(Roles.OrgDepartment, UnitPath.AncestorAt(branchId, 2));

    public async Task<Result<HonourChange>> ProposeAsync(Caller caller, string campaignId, string branchId,
        Func<Task<Result<string>>> readBody, string? operation, DurableTaskClient client, CancellationToken ct)
    {
        var (campaign, _, missing) = await access.LoadAsync(campaignId, ct);
        if (missing is not null) return missing;
        if (ProposerRole(caller, branchId) is not { } role) return Problem.Forbidden(ProposersOnly);
        Result<HonourChangeRequest> body = await CommandBody.ReadAsync<HonourChangeRequest>(readBody,
            await SchemaCatalog.GetAsync(SchemaCatalog.HonourChange));
        if (!body.Ok) return body.Problem;
        HonourChangeRequest request = body.Value;

        // A repeat of a proposal that died half-way finishes it: the same audit link, the workflow started once.
        if (operation is not null && await changes.ProposedByAsync(campaignId, branchId, operation, ct) is { } proposed)
            return await StartAsync(client, campaign!, proposed, ct);

        if (await honours.GetAsync(campaignId, branchId, ct) is not var (honour, _))
            return Problem.NotFound($"Campaign '{campaignId}' gave branch '{branchId}' no honour.");
        DateTimeOffset now = clock.GetUtcNow();
        bool demote = request.Kind == HonourChangeKinds.Demote;
        if (demote ? honour.StatusAt(now) != HonourStatus.Active : !honour.IsHeldAt(now))
            return new Problem(ProblemKind.Conflict, "honour-not-held", "The honour cannot be changed so.",
                $"The honour is {honour.StatusAt(now)}: " +
                (demote ? "only an active honour is demoted." : "only a held honour is revoked."));

        HonourChangeRules rules = campaign!.Definition.ChangeRules();
        var errors = new List<FieldError>();
        if (!rules.AllowedReasons.Contains(request.ReasonCategory, StringComparer.Ordinal))
            errors.Add(new("/reasonCategory", $"this campaign takes: {string.Join(", ", rules.AllowedReasons)}"));
        IReadOnlyList<Level> levels = campaign.Definition.Levels;
        int from = levels.ToList().FindIndex(l => l.Id == honour.CurrentLevel);
        if (demote && levels.ToList().FindIndex(l => l.Id == request.ToLevel) is var to && (to < 0 || to <= from))
            errors.Add(new("/toLevel", "a level of the campaign below the honour's (" + honour.CurrentLevel + "): " +
                string.Join(", ", levels.Skip(from + 1).Select(l => l.Id))));
        var cited = new List<EvidenceFileRef>();
        foreach (var (id, i) in (request.Evidence ?? []).Select((id, i) => (id, i)))
        {
            if (await evidence.GetAsync(campaignId, branchId, id, ct, forHonourChange: true) is ({ IsVerified: true } file, _))
                cited.Add(file.Ref());
            else errors.Add(new($"/evidence/{i}", $"no verified file {id} uploaded for changes of this branch's honour"));
        }
        if (errors.Count > 0) return Problem.Validation(errors);

        var change = new HonourChange
        {
            CampaignId = campaignId, BranchId = branchId, Id = HonourChangeIds.New(), Kind = request.Kind, FromLevel = honour.CurrentLevel,
            ToLevel = demote ? request.ToLevel! : Ranking.Revoked, ReasonCategory = request.ReasonCategory,
            Description = request.Description, Evidence = cited, ProposedBy = new Actor(caller.Id, caller.Name, role), ProposedAt = now,
            DecisionDue = now + rules.DecisionPeriod, Status = HonourChangeStatus.Proposed, ProposeOperation = operation,
        };
        var (outcome, openId) = await changes.ProposeAsync(change, ct);
        if (outcome == HonourChangeStore.ProposeOutcome.OpenChange)
        {
            // The open change's workflow may never have been started (its request died after storing it): start it now.
            if (await changes.GetAsync(campaignId, branchId, openId!, ct) is var (open, _)
                && open.ProposedAt < now - Requests.AbandonedAfter)
                await relay.BesideRefusalAsync(() => StartAsync(client, campaign, open, ct), $"honour change {openId}");
            return new Problem(ProblemKind.Conflict, "honour-change-open", "A change of this honour is open.",
                "It is decided, and applied or withdrawn, before another may be proposed.",
                new Dictionary<string, object?> { ["changeId"] = openId });
        }
        if (outcome == HonourChangeStore.ProposeOutcome.Contended)
            return Problem.Conflict("Other changes of this honour are being proposed at the same time; try again shortly.");
        return await StartAsync(client, campaign, change, ct, honour.BranchName);
    }

    /// <summary>
    /// The proposal's link, the first of the change's audit chain, the reminders of its decision, then its workflow: each
    /// harmless to repeat.
    /// </summary>
    async Task<HonourChange> StartAsync(DurableTaskClient client, CampaignRecord campaign, HonourChange change, CancellationToken ct,
        string? branchName = null)
    {
        await audit.AppendToChangeAsync(change, ct: ct);
        await reminders.ScheduleDecisionAsync(campaign.Definition, change, branchName ?? change.BranchId, ct);
        await inbox.FollowHonourChangeAsync(change, binding.HoldsDecision(change), ct);
        await EnsureStartedAsync(client, campaign, change, ct);
        log.LogInformation("Honour change {ChangeId} of {CampaignId}/{BranchId} proposed by {CallerId}: {Kind} to {Level}",
            change.Id, change.CampaignId, change.BranchId, change.ProposedBy.Id, change.Kind, change.ToLevel);
        return change;
    }

    /// <summary>Starts the change's workflow unless it exists (two requests may both try: the loser finds it).</summary>
    async Task EnsureStartedAsync(DurableTaskClient client, CampaignRecord campaign, HonourChange change, CancellationToken ct)
    {
        string instance = HonourChangeEvents.InstanceId(change.CampaignId, change.BranchId, change.Id);
        if (await client.GetInstanceAsync(instance, ct) is not null) return;
        try
        {
            await client.ScheduleNewOrchestrationInstanceAsync(TaskNames.HonourChangeOrchestrator,
                new HonourChangeInput(change.CampaignId, change.BranchId, change.Id, change.DecisionDue,
                    campaign.Definition.ChangeRules().NoticePeriod, outbox.SweepInterval) { Version = HonourChangeInput.CurrentVersion },
                new StartOrchestrationOptions(instance), ct);
        }
        catch (Exception)
        {
            // Started by the other request meanwhile; else the failure stands.
            if (await client.GetInstanceAsync(instance, ct) is null) throw;
        }
    }

    public async Task<Result<HonourChange>> DecideAsync(Caller caller, string campaignId, string branchId, string changeId,
        Func<Task<Result<string>>> readBody, string? operation, DurableTaskClient client, CancellationToken ct)
    {
        var (campaign, _, missing) = await access.LoadAsync(campaignId, ct);
        if (missing is not null) return missing;
        if (!CoversCounty(caller, branchId)) return Problem.Forbidden(DecidersOnly);
        if (!HonourChangeIds.IsValid(changeId) || await changes.GetAsync(campaignId, branchId, changeId, ct) is null)
            return Problem.NotFound($"No change '{changeId}' of this honour.");
        Result<HonourChangeDecisionRequest> body = await CommandBody.ReadAsync<HonourChangeDecisionRequest>(readBody,
            await SchemaCatalog.GetAsync(SchemaCatalog.HonourChangeDecision));
        if (!body.Ok) return body.Problem;

        while (true)
        {
            var (change, etag) = (await changes.GetAsync(campaignId, branchId, changeId, ct))!.Value;
            // A decision the API did not write (its binding does not hold) is none: the workflow does not take it either.
            bool bound = binding.HoldsDecision(change);
            if (bound && operation is not null && change.Decision!.Operation == operation)
                return await TellAsync(client, campaign!, change, ct);
            if (bound || !HonourChangeStatus.AwaitsDecision(change.Status))
            {
                // The first decision's event may have been lost: raising it again is harmless.
                await relay.BesideRefusalAsync(() => TellAsync(client, campaign!, change, ct), $"honour change {changeId}");
                return Problem.Conflict($"The change is {change.Status}: it was decided already.");
            }
            DateTimeOffset now = clock.GetUtcNow();
            if (change.IsOverdueAt(now) && !CampaignAccess.CanRun(caller, campaign!))
                return Problem.Forbidden($"The decision was due by {change.DecisionDue:O}: it is escalated to the organization " +
                    "department of the campaign's unit.");
            var decision = new HonourChangeDecision(body.Value.Approve, body.Value.Comment, body.Value.Approve && body.Value.Notice,
                new Actor(caller.Id, caller.Name, Roles.OrgDepartment), now) { Operation = operation };
            // Bound to this change, so that a decision written into the row by anyone but the API is never taken.
            HonourChange decided = change with
            {
                Decision = decision, DecisionMac = binding.Bind(campaignId, change.BranchId, change.Id, decision),
            };
            if (await changes.TryReplaceAsync(decided, etag, ct))
            {
                await audit.AppendToChangeAsync(decided, new HistoryEntry(now, caller.Id, Roles.OrgDepartment,
                    HonourChangeActions.Decided, HonourChangeAudit.Detail(decided, content: true)), ct);
                return await TellAsync(client, campaign!, decided, ct);
            }
            // Marked overdue, or decided by someone else, meanwhile: judge again on what is stored now.
        }
    }

    /// <summary>
    /// Tells the change's workflow to read its row again (starting it if it never was), once the inbox shows where the
    /// change waits now (nowhere, once decided).
    /// </summary>
    async Task<HonourChange> TellAsync(DurableTaskClient client, CampaignRecord campaign, HonourChange change, CancellationToken ct)
    {
        await inbox.FollowHonourChangeAsync(change, binding.HoldsDecision(change), ct);
        await EnsureStartedAsync(client, campaign, change, ct);
        await client.RaiseEventAsync(HonourChangeEvents.InstanceId(change.CampaignId, change.BranchId, change.Id),
            HonourChangeEvents.Updated, new HonourChangeUpdated(change.Status, clock.GetUtcNow()), ct);
        return change;
    }

    public async Task<Result<HonourChangeObjection>> ObjectAsync(Caller caller, string campaignId, string branchId, string changeId,
        Func<Task<Result<string>>> readBody, string? operation, DurableTaskClient client, CancellationToken ct)
    {
        var (campaign, _, missing) = await access.LoadAsync(campaignId, ct);
        if (missing is not null) return missing;
        if (!CampaignAccess.IsInside(caller, campaign!))
            return Problem.Forbidden("Objections are filed by people with a role inside the campaign's unit.");
        if (!HonourChangeIds.IsValid(changeId) || await changes.GetAsync(campaignId, branchId, changeId, ct) is null)
            return Problem.NotFound($"No change '{changeId}' of this honour.");
        Result<HonourChangeObjectionRequest> body = await CommandBody.ReadAsync<HonourChangeObjectionRequest>(readBody,
            await SchemaCatalog.GetAsync(SchemaCatalog.HonourChangeObjection));
        if (!body.Ok) return body.Problem;

        string id = HonourChangeStore.ObjectionIdOf(caller.Id);
        for (int attempt = 0; attempt < 5; attempt++)
        {
            if (await changes.GetObjectionAsync(campaignId, branchId, changeId, id, ct) is var (filed, _))
                return operation is not null && filed.FileOperation == operation
                    ? await ObjectionTakenAsync(client, campaign!, filed, HonourChangeActions.ObjectionFiled, filed.FiledBy, filed.FiledAt,
                        filed.Text, ct)
                    : new Problem(ProblemKind.Conflict, "objection-filed", "You have objected to this change already.",
                        "One objection per person and change.", new Dictionary<string, object?> { ["objectionId"] = id });
            var (change, etag) = (await changes.GetAsync(campaignId, branchId, changeId, ct))!.Value;
            DateTimeOffset now = clock.GetUtcNow();
            if (!change.TakesObjectionsAt(now))
                return Problem.Conflict($"The change is {change.Status}: objections are taken only during its public notice.");
            var objection = new HonourChangeObjection(campaignId, branchId, changeId, id, body.Value.Text,
                new Actor(caller.Id, caller.Name, caller.Roles[0]), now) { FileOperation = operation };
            HonourChange counted = change with { Objections = change.Objections + 1, OpenObjections = change.OpenObjections + 1 };
            if (await changes.FileObjectionAsync(counted, etag, objection, ct) == HonourChangeStore.FileOutcome.Filed)
                return await ObjectionTakenAsync(client, campaign!, objection, HonourChangeActions.ObjectionFiled, objection.FiledBy, now,
                    objection.Text, ct);
            // Filed by a request of the same person, or the change moved on (another objection, the notice closed): again.
        }
        return Problem.Conflict("Many objections to this change are being filed at the same time; try again shortly.");
    }

    public async Task<Result<HonourChangeObjection>> ResolveObjectionAsync(Caller caller, string campaignId, string branchId,
        string changeId, string objectionId, Func<Task<Result<string>>> readBody, string? operation, DurableTaskClient client,
        CancellationToken ct)
    {
        var (campaign, _, missing) = await access.LoadAsync(campaignId, ct);
        if (missing is not null) return missing;
        if (!CoversCounty(caller, branchId)) return Problem.Forbidden(DecidersOnly);
        if (!HonourChangeIds.IsValid(changeId) || await changes.GetAsync(campaignId, branchId, changeId, ct) is null
            || await changes.GetObjectionAsync(campaignId, branchId, changeId, objectionId, ct) is null)
            return Problem.NotFound($"No objection '{objectionId}' to change '{changeId}'.");
        Result<ResolutionRequest> body = await CommandBody.ReadAsync<ResolutionRequest>(readBody,
            await SchemaCatalog.GetAsync(SchemaCatalog.ObjectionResolution));
        if (!body.Ok) return body.Problem;

        while (true)
        {
            var (objection, objectionETag) = (await changes.GetObjectionAsync(campaignId, branchId, changeId, objectionId, ct))!.Value;
            var (change, changeETag) = (await changes.GetAsync(campaignId, branchId, changeId, ct))!.Value;
            if (operation is not null && objection.ResolveOperation == operation)
                return await ObjectionTakenAsync(client, campaign!, objection, HonourChangeActions.ObjectionResolved, objection.ResolvedBy!,
                    objection.ResolvedAt!.Value, $"{objection.Status}: {objection.Comment}", ct);
            if (objection.Status != ObjectionStatus.Open)
            {
                await relay.BesideRefusalAsync(() => TellAsync(client, campaign!, change, ct), $"honour change {changeId}");
                return Problem.Conflict($"The objection is {objection.Status} already.");
            }
            if (HonourChangeStatus.IsEnded(change.Status)) return Problem.Conflict($"The change is {change.Status}.");
            DateTimeOffset now = clock.GetUtcNow();
            bool upheld = body.Value.Upheld;
            HonourChangeObjection resolved = objection with
            {
                Status = upheld ? ObjectionStatus.Upheld : ObjectionStatus.Dismissed, Comment = body.Value.Comment,
                ResolvedBy = new Actor(caller.Id, caller.Name, Roles.OrgDepartment), ResolvedAt = now, ResolveOperation = operation,
            };
            HonourChange counted = change with
            {
                OpenObjections = change.OpenObjections - 1, UpheldObjections = change.UpheldObjections + (upheld ? 1 : 0),
            };
            if (await changes.TryResolveObjectionAsync(counted, changeETag, resolved, objectionETag, ct))
                return await ObjectionTakenAsync(client, campaign!, resolved, HonourChangeActions.ObjectionResolved, resolved.ResolvedBy,
                    now, $"{resolved.Status}: {resolved.Comment}", ct);
        }
    }

    /// <summary>After an objection or its resolution is stored: its audit link, and the change's workflow told.</summary>
    async Task<HonourChangeObjection> ObjectionTakenAsync(DurableTaskClient client, CampaignRecord campaign, HonourChangeObjection o,
        string action, Actor by, DateTimeOffset at, string text, CancellationToken ct)
    {
        var (change, _) = await changes.GetAsync(o.CampaignId, o.BranchId, o.ChangeId, ct)
            ?? throw new InvalidOperationException($"The objection's change {o.ChangeId} is missing.");
        await audit.AppendToChangeAsync(change,
            new HistoryEntry(at, by.Id, by.Role, action, $"{o.Id} on {o.ChangeId} of {o.BranchId}: {text}"), ct);
        await inbox.FollowHonourChangeObjectionAsync(o, change, ct);
        await TellAsync(client, campaign, change, ct);
        return o;
    }

    /// <summary>An upload slot for a file a change will cite: for its proposers, while the honour is held.</summary>
    public async Task<Result<EvidenceSlot>> RequestEvidenceSlotAsync(Caller caller, string campaignId, string branchId,
        Func<Task<Result<string>>> readBody, CancellationToken ct)
    {
        var (_, _, missing) = await access.LoadAsync(campaignId, ct);
        if (missing is not null) return missing;
        if (ProposerRole(caller, branchId) is not { } role) return Problem.Forbidden(ProposersOnly);
        Result<HonourChangeEvidenceRequest> body = await CommandBody.ReadAsync<HonourChangeEvidenceRequest>(readBody,
            await SchemaCatalog.GetAsync(SchemaCatalog.HonourChangeEvidence));
        if (!body.Ok) return body.Problem;
        if (await honours.GetAsync(campaignId, branchId, ct) is not var (honour, _))
            return Problem.NotFound($"Campaign '{campaignId}' gave branch '{branchId}' no honour.");
        if (!honour.IsHeldAt(clock.GetUtcNow()))
            return new Problem(ProblemKind.Conflict, "honour-not-held", "The honour is no longer held.",
                $"The honour is {honour.StatusAt(clock.GetUtcNow())}: there is nothing to change.");
        string fileName = FileNames.Sanitize(body.Value.FileName);
        if (EvidenceCommands.KindError(fileName, body.Value.ContentType) is { } kindError) return Problem.Validation([kindError]);
        return await files.OpenSlotAsync(new EvidenceFile
        {
            Id = EvidenceIds.New(), CampaignId = campaignId, BranchId = branchId, Round = 0, ForHonourChange = true,
            Criterion = EvidenceFile.HonourChangeCriterion, Title = body.Value.Title, FileName = fileName,
            DeclaredType = FileKinds.ByContentType(body.Value.ContentType)!.ContentType, DeclaredSize = body.Value.Size,
            Status = EvidenceStatus.Pending, UploadedBy = new Actor(caller.Id, caller.Name, role), SlotExpiresAt = default,
        }, ct);
    }

    /// <summary>Checks, hashes and keeps an uploaded file of a change, as any evidence is (<see cref="EvidenceCommands.VerifyAsync"/>).
    /// </summary>
    public async Task<Result<EvidenceView>> CompleteEvidenceAsync(Caller caller, string campaignId, string branchId, string evidenceId,
        CancellationToken ct)
    {
        var (_, _, missing) = await access.LoadAsync(campaignId, ct);
        if (missing is not null) return missing;
        if (ProposerRole(caller, branchId) is null) return Problem.Forbidden(ProposersOnly);
        if (!EvidenceIds.IsValid(evidenceId)
            || await evidence.GetAsync(campaignId, branchId, evidenceId, ct, forHonourChange: true) is not var (file, etag))
            return Problem.NotFound($"No file '{evidenceId}' uploaded for changes of this branch's honour.");
        return await files.VerifyAsync(file, etag, null, ct);
    }
}
