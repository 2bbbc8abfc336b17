using Eval.Api.Auth;
using Eval.Api.Http;
using Eval.Application;
using Eval.Application.Inbox;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Eval.Api.Handlers;

/// <summary>GET /api/inbox: what waits on the caller (<see cref="InboxQueries"/>).</summary>
public sealed class InboxHandlers(Authenticator auth, InboxQueries queries)
{
    public async Task<Results<Ok<InboxPage>, ProblemHttpResult>> ListAsync(HttpRequest request)
    {
        IQueryCollection q = request.Query;
        return (await auth.AuthenticateAsync(request).ThenAsync(caller => queries.ListAsync(caller, q["campaign"].FirstOrDefault(),
            q["unit"].FirstOrDefault(), q["kind"].FirstOrDefault(), q["dueBefore"].FirstOrDefault(), q["overdue"].FirstOrDefault(),
            q["q"].FirstOrDefault(), q["pageSize"].FirstOrDefault(), q["continuationToken"].FirstOrDefault(),
            request.HttpContext.RequestAborted))).ToOk();
    }
}
