using Eval.Api;
using Eval.Api.Handlers;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Eval.Functions.Http;

public sealed class VerifyAuditFunction(AuditHandlers handler)
{
    [Function("VerifyAudit")]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.AuditVerification)] HttpRequest req,
        string cid) =>
        handler.VerifyAsync(req, cid);
}
