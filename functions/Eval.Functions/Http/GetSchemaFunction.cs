using Eval.Api;
using Eval.Api.Handlers;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Eval.Functions.Http;

public sealed class GetSchemaFunction(SchemaHandlers handlers)
{
    [Function("GetSchema")]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.Schema)] HttpRequest req,
        string name) =>
        handlers.GetAsync(req, name);
}
