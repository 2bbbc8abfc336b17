using Microsoft.DurableTask;

namespace Eval.Workflows.Orchestrations;

/// <summary>
/// Activities talk to storage; a transient failure there must not fail a workflow that has waited for weeks.
/// Every activity is idempotent, so retrying with backoff is safe. The attempts last about four and a half hours
/// (1 s doubling to 5 min, 60 in all): a storage outage of an afternoon leaves every workflow where it was, at the
/// cost of a few history events per attempt. A workflow that fails anyway is closed by a forced publication.
/// </summary>
public static class ActivityRetry
{
    public static readonly TaskOptions Options = TaskOptions.FromRetryPolicy(new RetryPolicy(
        maxNumberOfAttempts: 60, firstRetryInterval: TimeSpan.FromSeconds(1), backoffCoefficient: 2,
        maxRetryInterval: TimeSpan.FromMinutes(5)));
}
