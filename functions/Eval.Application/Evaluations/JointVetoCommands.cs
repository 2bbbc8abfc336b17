using Eval.Application.Ratings;
using Eval.Workflows.Activities;
using Eval.Workflows.Domain;
using Eval.Workflows.Schemas;
using Eval.Workflows.Storage;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace Eval.Application.Evaluations;

public sealed record JointVetoRequest(string Department, string DocumentRef, string Reason);

/// <summary>A joint veto kept on the evaluation: the workflow ends it vetoed, or it was vetoed here once it had ended.</summary>
public sealed record JointVetoRecorded(string CampaignId, string BranchId, JointVeto Veto);

/// <summary>
/// Joint vetoes (联审): until publication, the organization department over a branch records a veto another department
/// found, with its document reference. The veto is kept on the record first (so the evaluation ends vetoed whatever
/// happens next), linked into the campaign's audit chain, then: a running evaluation's workflow is closed with it (it
/// writes the history entry and its link); a scored one is vetoed here, with its own history entry and link; a branch on
/// the proposed list loses its level.
/// </summary>
public sealed class JointVetoCommands(CampaignAccess access, EvaluationSteps steps, EvaluationStore evaluations, RatingStore ratings,
    ProposedList list, RatingQueries lists, AuditStore audit, RecordEvaluationActivity recorder, TimeProvider clock,
    ILogger<JointVetoCommands> log)
{
    public async Task<Result<JointVetoRecorded>> RecordAsync(Caller caller, string campaignId, string branchId,
        Func<Task<Result<string>>> readBody, DurableTaskClient client, CancellationToken ct)
    {
        Result<EvaluationContext> loaded = await steps.LoadAsync(caller, campaignId, branchId, ct);
        if (!loaded.Ok) return loaded.Problem;
        if (!caller.CanActOn(Roles.OrgDepartment, branchId))
            return Problem.Forbidden("Joint vetoes are recorded by the organization department over the branch.");
        Result<JointVetoRequest> body =
            await CommandBody.ReadAsync<JointVetoRequest>(readBody, await SchemaCatalog.GetAsync(SchemaCatalog.JointVeto));
        if (!body.Ok) return body.Problem;
        var (campaign, _, missing) = await access.LoadAsync(campaignId, ct);
        if (missing is not null) return missing;
        if (campaign!.Status is not (CampaignStatus.Running or CampaignStatus.Publicity))
            return Problem.Conflict($"The campaign is {campaign.Status}: joint vetoes are recorded until publication.");

        EvaluationRecord seen = loaded.Value.Evaluation;
        var veto = new JointVeto(body.Value.Department, body.Value.DocumentRef, body.Value.Reason,
            new Actor(caller.Id, caller.Name, Roles.OrgDepartment), clock.GetUtcNow());
        if (await evaluations.MarkJointVetoAsync((seen, loaded.Value.ETag), veto, Refuse, ct) is { } refused)
            return Problem.Conflict(refused);
        await audit.AppendToCampaignAsync(campaignId,
            new HistoryEntry(veto.At, caller.Id, Roles.OrgDepartment, HistoryActions.JointVeto, $"{branchId}: {veto.Detail}"), ct);

        var (record, _) = await evaluations.GetExistingAsync(campaignId, branchId, ct);
        if (record.Stage != Stages.Done)
            await client.RaiseEventAsync(InstanceIds.Evaluation(campaignId, branchId), EvaluationEvents.Closed,
                new EvaluationClosed(veto.By, veto.At) { Veto = veto }, ct);
        else
        {
            // Its workflow has ended and writes no more: the veto is the record's next change, recorded and linked as the
            // workflow records its own (as a forced publication closes a stopped workflow's record).
            await recorder.RunAsync(new EvaluationChange(campaignId, branchId, record.Seq + 1,
                new HistoryEntry(veto.At, veto.By.Id, veto.By.Role, HistoryActions.JointVetoed, veto.Detail))
            {
                Outcome = Outcomes.Vetoed,
            });
            // Asked of the list itself, not of the status read earlier: a proposal may have been written meanwhile.
            if (await ratings.GetProposedAsync(campaignId, branchId, ct) is not null)
            {
                await list.RevokeAsync(campaignId, new HashSet<string>(StringComparer.Ordinal) { branchId },
                    $"vetoed: {veto.Department} {veto.DocumentRef}", veto.By, ct);
                lists.Forget(campaignId);
            }
        }
        log.LogInformation("Joint veto on {CampaignId}/{BranchId} recorded by {CallerId} at stage {Stage}",
            campaignId, branchId, caller.Id, record.Stage);
        return new JointVetoRecorded(campaignId, branchId, veto);
    }

    // One veto an evaluation; an evaluation that ended without a level has none to lose.
    static string? Refuse(EvaluationRecord r) =>
        r.JointVeto is { } earlier ? $"A joint veto was recorded already ({earlier.Department} {earlier.DocumentRef})."
        : r.Stage == Stages.Done && r.Outcome != Outcomes.Scored ? $"The evaluation ended {r.Outcome}: it has no level to veto."
        : null;
}
