using Eval.Api;
using Eval.Api.Handlers;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace Eval.Functions.Http;

public sealed class StartSelfTestFunction(SelfTestHandlers handlers)
{
    [Function("StartSelfTest")]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.SelfTests)] HttpRequest req,
        [DurableClient] DurableTaskClient client) => handlers.StartAsync(req, client);
}
