using Eval.Api.Handlers;
using Eval.Application.Inbox;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;

namespace Eval.Functions.Http;

/// <summary>The Functions trigger of the inbox (see <see cref="Api.Endpoints.EvalApi"/>).</summary>
public sealed class InboxFunctions(InboxHandlers inbox)
{
    [Function("GetInbox")]
    public Task<Results<Ok<InboxPage>, ProblemHttpResult>> GetInbox(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "inbox")] HttpRequest req) =>
        inbox.ListAsync(req);
}
