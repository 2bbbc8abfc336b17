using Eval.Api;
using Eval.Api.Handlers;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace Eval.Functions.Http;

public sealed class ConfirmSelfTestFunction(SelfTestHandlers handlers)
{
    [Function("ConfirmSelfTest")]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.SelfTestConfirmation)] HttpRequest req,
        [DurableClient] DurableTaskClient client, string id) => handlers.ConfirmAsync(req, client, id);
}
