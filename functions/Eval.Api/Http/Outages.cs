using System.Net.Sockets;
using Azure;
using Grpc.Core;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Eval.Api.Http;

/// <summary>
/// A request that failed because storage or the task hub could not be reached is answered 503 with Retry-After, not
/// 500: the client should send it again, and may (what was accepted before the failure is kept, and a repeat is told
/// so). Used by the local host's exception handler and the Functions app's middleware alike.
/// </summary>
public sealed class Outages(ILogger<Outages> log) : IExceptionHandler
{
    public const int RetryAfterSeconds = 5;

    /// <summary>Whether <paramref name="e"/> says a dependency was unreachable or failed, rather than a bug here.</summary>
    public static bool IsOutage(Exception e) => e switch
    {
        RequestFailedException r => r.Status is 0 or 408 or >= 500,
        RpcException r => r.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Unknown or StatusCode.Internal
            or StatusCode.ResourceExhausted or StatusCode.Aborted,
        HttpRequestException or SocketException or TimeoutException => true,
        AggregateException a => a.InnerExceptions.Any(IsOutage),
        _ => e.InnerException is { } inner && IsOutage(inner),
    };

    /// <summary>Writes the 503 for an outage; false (nothing written) for any other exception.</summary>
    public static async Task<bool> TryAnswerAsync(HttpContext http, Exception e)
    {
        if (!IsOutage(e) || http.Response.HasStarted) return false;
        http.Response.Clear();
        http.Response.Headers.RetryAfter = RetryAfterSeconds.ToString();
        await Problems.Unavailable($"Storage or the task hub could not be reached; send the request again in {RetryAfterSeconds} s.")
            .ExecuteAsync(http);
        return true;
    }

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (!await TryAnswerAsync(httpContext, exception)) return false;
        log.LogWarning(exception, "{Method} {Path} failed on a dependency: answered 503",
            httpContext.Request.Method, httpContext.Request.Path);
        return true;
    }
}
