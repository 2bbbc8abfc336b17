using Eval.Api.Handlers;
using Eval.Application.Evaluations;
using Eval.Workflows.Domain;
using Eval.Workflows.Schemas;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.DurableTask.Client;
using Microsoft.OpenApi;

namespace Eval.Api.Endpoints;

/// <summary>Evaluations: the work queue, one evaluation, and the human steps (one route per <see cref="HumanStep"/>).</summary>
public static class EvaluationEndpoints
{
    public static RouteGroupBuilder MapEvaluations(this RouteGroupBuilder api)
    {
        api.MapGet("campaigns/{cid}/evaluations", (HttpRequest req, string cid, EvaluationHandlers h) => h.ListAsync(req, cid))
            .WithName("ListEvaluations").WithTags("Evaluations").WithSummary("A paged work queue of a campaign's evaluations")
            .WithQueryParameter("unit", "Only branches at or below this unit (default: the narrower of your unit and the campaign's).")
            .WithQueryParameter("stage", "Only evaluations at this stage: " + string.Join(", ", Eval.Workflows.Domain.Stages.All) + ".")
            .WithQueryParameter("pageSize", $"1 to {EvaluationQueries.MaxPageSize} (default 50).", JsonSchemaType.Integer)
            .WithQueryParameter("continuationToken", "The continuationToken of the previous page.")
            .RequiresToken("a working role covering the unit asked for (a branch secretary: its branch)", Roles.Working.ToArray())
            .Produces<EvaluationPage>().Problems(StatusCodes.Status404NotFound, StatusCodes.Status422UnprocessableEntity);
        api.MapGet("campaigns/{cid}/evaluations/{branchId}",
            (HttpRequest req, string cid, string branchId, EvaluationHandlers h) => h.GetAsync(req, cid, branchId))
            .WithName("GetEvaluation").WithTags("Evaluations")
            .WithSummary("A branch's evaluation: stage, outcome, score, submission, review, scores, history")
            .RequiresToken("the branch's secretary, or a township reviewer, county scorer or org-department covering it",
                Roles.Working.ToArray())
            .Produces<EvaluationView>().Problems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        foreach (HumanStep step in HumanStep.All) MapStep(api, step);
        api.MapPost("campaigns/{cid}/evaluations/{branchId}/vetoes",
                (HttpRequest req, DurableTaskClient client, string cid, string branchId, EvaluationHandlers h) =>
                    h.RecordJointVetoAsync(req, client, cid, branchId))
            .WithName("RecordJointVeto").WithTags("Evaluations")
            .WithSummary("Record a veto from another department (联审) on a branch, until publication")
            .WithDescription("A running evaluation ends vetoed; a scored one is vetoed, and loses its level on the proposed list. " +
                "One veto an evaluation (409 for a second, after publication, or on an evaluation that ended without a score). " +
                "It is in the evaluation's history and in the campaign's and the evaluation's audit chains.")
            .RequiresToken("org-department covering the branch", Roles.OrgDepartment)
            .ValidatedBody(SchemaCatalog.JointVeto).Produces<JointVetoRecorded>(StatusCodes.Status202Accepted)
            .Problems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        api.MapPost("campaigns/{cid}/evaluations/{branchId}/urge",
                (HttpRequest req, DurableTaskClient client, string cid, string branchId, SupervisionHandlers h) =>
                    h.UrgeAsync(req, client, cid, branchId))
            .WithName("UrgeEvaluation").WithTags("Evaluations")
            .WithSummary("Urge (催办) the step an evaluation waits for, with a short message")
            .WithDescription("By a superior of whom the step waits on, covering the branch: a self-assessment by the township " +
                "reviewer, county scorer or organization department; a township review by the county scorer or organization " +
                "department; a county score by the organization department (403 otherwise). At most once a day an evaluation " +
                "(409 with mayUrgeAt); 409 when no step waits. The workflow records it in the evaluation's history and audit chain " +
                "and has whom the step waits on told (a notification of type cn.eval.urged).")
            .RequiresToken("township-reviewer, county-scorer or org-department covering the branch, above the waiting step",
                Roles.TownshipReviewer, Roles.CountyScorer, Roles.OrgDepartment)
            .ValidatedBody(SchemaCatalog.Urge).Produces<SupervisionAccepted>(StatusCodes.Status202Accepted)
            .Problems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        api.MapPost("campaigns/{cid}/evaluations/{branchId}/deadline",
                (HttpRequest req, DurableTaskClient client, string cid, string branchId, SupervisionHandlers h) =>
                    h.ExtendAsync(req, client, cid, branchId))
            .WithName("ExtendDeadline").WithTags("Evaluations")
            .WithSummary("Extend the deadline of the step an evaluation waits for (延期), with a reason")
            .WithDescription("By the organization department covering the branch, or for a self-assessment or township review a " +
                "county scorer covering it. The new deadline (or extendBy, added to the current one) is later than the current " +
                "one and than now (422). The workflow re-arms the step's timer, records the extension in the history and audit " +
                "chain, and has whom the step waits on told (cn.eval.deadline-extended); the reminders follow the new deadline. " +
                "An overdue review or score is no longer overdue; a self-assessment is extended before its deadline (409 after " +
                "it: a missed self-assessment ends the evaluation).")
            .RequiresToken("org-department covering the branch; county-scorer covering it for a self-assessment or township review",
                Roles.OrgDepartment, Roles.CountyScorer)
            .ValidatedBody(SchemaCatalog.DeadlineExtension).Produces<SupervisionAccepted>(StatusCodes.Status202Accepted)
            .Problems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        return api;
    }

    /// <summary>A human step: POST to the evaluation's route under the step's name, described by the step itself.</summary>
    static void MapStep(RouteGroupBuilder api, HumanStep step)
    {
        StepDescription about = step.Description;
        RouteHandlerBuilder endpoint = api.MapPost($"campaigns/{{cid}}/evaluations/{{branchId}}/{step.Name}",
                (HttpRequest req, DurableTaskClient client, string cid, string branchId, EvaluationHandlers h) =>
                    h.TakeStepAsync(step, req, client, cid, branchId))
            .WithName(about.Operation).WithTags("Evaluations").WithSummary(about.Summary);
        if (about.Details is { } details) endpoint.WithDescription(details);
        endpoint.RequiresToken(about.Who, step.OverdueRole is { } overdue ? [step.Role, overdue] : [step.Role])
            .ValidatedBody(step.Name).Produces<StepAccepted>(StatusCodes.Status202Accepted)
            .Problems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
    }
}
