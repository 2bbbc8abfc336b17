namespace Eval.FunctionalTests.Infrastructure;

/// <summary>
/// What a test class builds once and its tests share (a campaign at some stage, its counties): built by the first
/// test that asks, again only for another fixture (another local host).
/// </summary>
public sealed class PerFixture<T> where T : class
{
    readonly SemaphoreSlim gate = new(1, 1);
    (LocalHostFixture Fixture, T Value)? built;

    public async Task<T> GetAsync(LocalHostFixture fx, Func<Task<T>> build)
    {
        await gate.WaitAsync();
        try
        {
            if (built is { } b && ReferenceEquals(b.Fixture, fx)) return b.Value;
            T value = await build();
            built = (fx, value);
            return value;
        }
        finally
        {
            gate.Release();
        }
    }
}
