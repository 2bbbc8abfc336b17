using Eval.Api;
using Eval.Api.Handlers;
using Eval.Workflows.Domain;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace Eval.Functions.Http;

public sealed class SubmitSelfAssessmentFunction(EvaluationHandlers handlers)
{
    [Function("SubmitSelfAssessment")]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.SelfAssessment)] HttpRequest req,
        [DurableClient] DurableTaskClient client,
        string cid,
        string branchId) =>
        handlers.TakeStepAsync(HumanSteps.SelfAssessment, req, client, cid, branchId);
}
