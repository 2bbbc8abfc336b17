using Eval.Api.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.Extensions.Logging;

namespace Eval.Functions;

/// <summary>
/// An HTTP function that throws answers 500 as problem+json, as the local host's exception handler does,
/// instead of an empty 500; one that failed on storage or the task hub answers 503 (<see cref="Outages"/>).
/// The exception is logged, never shown.
/// </summary>
public sealed class ProblemDetailsMiddleware(ILogger<ProblemDetailsMiddleware> log) : IFunctionsWorkerMiddleware
{
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        try
        {
            await next(context);
        }
        catch (Exception e) when (context.GetHttpContext() is { Response.HasStarted: false } http)
        {
            if (await Outages.TryAnswerAsync(http, e))
            {
                log.LogWarning(e, "Function {Function} failed on a dependency: answered 503", context.FunctionDefinition.Name);
                return;
            }
            log.LogError(e, "Function {Function} failed", context.FunctionDefinition.Name);
            http.Response.Clear();
            await Problems.Create(StatusCodes.Status500InternalServerError, "internal", "The request could not be completed.",
                "An unexpected error occurred; it has been logged.").ExecuteAsync(http);
        }
    }
}
