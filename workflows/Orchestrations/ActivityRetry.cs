using Microsoft.DurableTask;

namespace Eval.Workflows.Orchestrations;

/// <summary>
/// Activities talk to storage; a transient failure there must not fail a workflow that has waited for weeks.
/// Every activity is idempotent, so retrying with backoff is safe (about 10 minutes of attempts in all).
/// </summary>
public static class ActivityRetry
{
    public static readonly TaskOptions Options = TaskOptions.FromRetryPolicy(new RetryPolicy(
        maxNumberOfAttempts: 10, firstRetryInterval: TimeSpan.FromSeconds(1), backoffCoefficient: 2, maxRetryInterval: TimeSpan.FromMinutes(2)));
}
