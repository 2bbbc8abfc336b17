using System.Diagnostics;

namespace Eval.FunctionalTests.Infrastructure;

public static class Poll
{
    /// <summary>Calls <paramref name="probe"/> until it returns a value, or fails the test after <paramref name="limit"/>.</summary>
    public static async Task<T> UntilAsync<T>(Func<Task<T?>> probe, TimeSpan limit, string what,
        Func<string>? diagnostics = null) where T : class
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            if (await probe() is { } value) return value;
            if (watch.Elapsed > limit)
                throw new TimeoutException($"Gave up after {limit.TotalSeconds} s waiting for {what}.\n{diagnostics?.Invoke()}");
            await Task.Delay(200);
        }
    }
}
