using Eval.Application.Campaigns;
using Eval.Api.Handlers;
using Eval.Workflows.Domain;
using Eval.Workflows.Schemas;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.DurableTask.Client;

namespace Eval.Api.Endpoints;

/// <summary>Campaigns: define, start, read, and request publication.</summary>
public static class CampaignEndpoints
{
    const string Schema = "application/schema+json";

    public static RouteGroupBuilder MapCampaigns(this RouteGroupBuilder api)
    {
        api.MapGet("campaigns", (HttpRequest req, CampaignHandlers h) => h.ListAsync(req))
            .WithName("ListCampaigns").WithTags("Campaigns").WithSummary("The campaigns at, above or below your unit, newest first")
            .WithQueryParameter("status", "Only campaigns with this status: created, running, publicity or published.")
            .WithDescription("Working roles see the campaigns at, above or below their unit; members those inside whose unit they are, " +
                "from the public notice on (the campaigns they may object in).")
            .RequiresToken("any role", Roles.All.ToArray())
            .Produces<CampaignList>().ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        api.MapPost("campaigns", (HttpRequest req, CampaignHandlers h) => h.CreateAsync(req))
            .WithName("CreateCampaign").WithTags("Campaigns").WithSummary("Define a campaign")
            .WithDescription("Validated against the campaign schema, then against the rules it cannot say " +
                "(unique ids, a unity criterion, levels in descending order, durations). 409 when the id exists.")
            .RequiresToken("org-department covering the campaign's unit", Roles.OrgDepartment)
            .ValidatedBody(SchemaCatalog.Campaign).Produces<CampaignView>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status409Conflict);
        api.MapGet("campaigns/{cid}", (HttpRequest req, string cid, CampaignHandlers h) => h.GetAsync(req, cid))
            .WithName("GetCampaign").WithTags("Campaigns").WithSummary("A campaign's status and its evaluations per stage")
            .WithDescription($"The counts per stage are at most {StageCounter.MaxAge.TotalSeconds:0} seconds old. " +
                "A member inside the campaign's unit gets, from the public notice on, only the campaign's summary (as in the list): " +
                "title, status and notice dates.")
            .RequiresToken("a working role at, above or below the campaign's unit; a member inside it from the notice on",
                Roles.All.ToArray())
            .Produces<CampaignView>().ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("campaigns/{cid}/start",
            (HttpRequest req, DurableTaskClient client, string cid, CampaignHandlers h) => h.StartAsync(req, client, cid))
            .WithName("StartCampaign").WithTags("Campaigns").WithSummary("Start one evaluation workflow per branch")
            .WithDescription("Actions on evaluations are taken once the campaign's branchCount is set. 409 unless the campaign is created.")
            .RequiresToken("org-department of the campaign's unit or above", Roles.OrgDepartment).IdempotentWithoutBody()
            .Produces<CampaignStarted>(StatusCodes.Status202Accepted)
            .Problems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        api.MapGet("campaigns/{cid}/schemas/self-assessment",
            (HttpRequest req, string cid, CampaignHandlers h) => h.SelfAssessmentSchemaAsync(req, cid))
            .WithName("GetSelfAssessmentSchema").WithTags("Schemas", "Campaigns")
            .WithSummary("The self-assessment schema generated from the campaign's rubric")
            .WithDescription("?category= (village, community, office, enterprise, school, other): the schema of a branch of that " +
                "category, from its own rubric when the campaign gives it one. 422 for another category.")
            .RequiresToken("a working role at, above or below the campaign's unit", Roles.Working.ToArray())
            .Produces(StatusCodes.Status200OK, contentType: Schema).ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("campaigns/{cid}/publication",
            (HttpRequest req, DurableTaskClient client, string cid, CampaignHandlers h) => h.PublicationAsync(req, client, cid))
            .WithName("RequestPublication").WithTags("Campaigns").WithSummary("Rank the branches and open the public notice")
            .WithDescription("409 while evaluations are unfinished, unless {\"force\":true} ends them as not-evaluated. " +
                "The body is optional.")
            .RequiresToken("org-department of the campaign's unit or above", Roles.OrgDepartment)
            .ValidatedBody(SchemaCatalog.Publication, required: false).Produces<PublicationAccepted>(StatusCodes.Status202Accepted)
            .Problems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        api.MapPost("campaigns/{cid}/rehearsals", (HttpRequest req, string cid, CampaignHandlers h) => h.RehearsalAsync(req, cid))
            .WithName("RunRehearsal").WithTags("Campaigns")
            .WithSummary("Try other levels, quotas, allocations or weights on the real scores (试算): counts per level per unit")
            .WithDescription("Before the public notice (409 after). Answers counts only, in all and per unit under the campaign's, " +
                "never a branch; each rehearsal, with what was tried and what it gave, is linked into the campaign's audit chain.")
            .RequiresToken("org-department of the campaign's unit or above", Roles.OrgDepartment)
            .ValidatedBody(SchemaCatalog.Rehearsal).Problems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        return api;
    }
}
