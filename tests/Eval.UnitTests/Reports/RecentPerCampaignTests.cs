using Eval.Application.Campaigns;
using Eval.LocalHost.Cli;
using Eval.Workflows.Domain;

namespace Eval.UnitTests.Reports;

/// <summary>
/// The per-host cache of what reading a whole campaign computes (counts per stage, statistics): never older than its
/// maximum age, computed once for any number of callers, refreshed in the background when asked to.
/// </summary>
public sealed class RecentPerCampaignTests
{
    static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(10), RefreshAfter = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Many_callers_at_once_share_one_computation()
    {
        var clock = new SettableClock();
        var cache = new RecentPerCampaign<int>(MaxAge, RefreshAfter, clock);
        var computations = new Computations();
        var gate = new TaskCompletionSource();
        Task<Recent<int>>[] waiting = [.. Enumerable.Range(0, 20).Select(_ => cache.GetAsync(Campaign(), async ct =>
        {
            await gate.Task;
            return computations.Next();
        }, CancellationToken.None))];
        gate.SetResult();
        Recent<int>[] answers = await Task.WhenAll(waiting);

        Assert.Equal(1, computations.Count);
        Assert.All(answers, a => Assert.Equal((1, clock.GetUtcNow()), (a.Value, a.AsOf)));
    }

    [Fact]
    public async Task A_value_is_served_until_refresh_then_refreshed_in_the_background_and_never_served_past_its_maximum_age()
    {
        var clock = new SettableClock();
        var cache = new RecentPerCampaign<int>(MaxAge, RefreshAfter, clock);
        var computations = new Computations();
        var release = new TaskCompletionSource();
        Func<CancellationToken, Task<int>> compute = async _ =>
        {
            int n = computations.Next();
            if (n == 2) await release.Task;
            return n;
        };
        DateTimeOffset first = clock.GetUtcNow();
        Assert.Equal(1, (await cache.GetAsync(Campaign(), compute, CancellationToken.None)).Value);

        clock.Advance(RefreshAfter - TimeSpan.FromSeconds(1));
        Assert.Equal((1, first), Of(await cache.GetAsync(Campaign(), compute, CancellationToken.None)));
        Assert.Equal(1, computations.Count);

        // Past refreshAfter: the value there is (6 s old) is served at once, and one refresh starts in the background.
        clock.Advance(TimeSpan.FromSeconds(2));
        DateTimeOffset refreshStarted = clock.GetUtcNow();
        Assert.Equal((1, first), Of(await cache.GetAsync(Campaign(), compute, CancellationToken.None)));
        Assert.Equal((1, first), Of(await cache.GetAsync(Campaign(), compute, CancellationToken.None)));
        Assert.Equal(2, computations.Count);

        // Past the maximum age of the first value (11 s), callers wait for the refresh (5 s old) rather than get the old value.
        clock.Advance(TimeSpan.FromSeconds(5));
        Task<Recent<int>> waiting = cache.GetAsync(Campaign(), compute, CancellationToken.None);
        Assert.False(waiting.IsCompleted);
        release.SetResult();
        Assert.Equal((2, refreshStarted), Of(await waiting));
        Assert.Equal(2, computations.Count);
    }

    [Fact]
    public async Task A_refreshed_value_is_served_once_it_is_done()
    {
        var clock = new SettableClock();
        var cache = new RecentPerCampaign<int>(MaxAge, RefreshAfter, clock);
        var computations = new Computations();
        Func<CancellationToken, Task<int>> compute = _ => Task.FromResult(computations.Next());
        await cache.GetAsync(Campaign(), compute, CancellationToken.None);
        clock.Advance(RefreshAfter + TimeSpan.FromSeconds(1));
        DateTimeOffset refreshStarted = clock.GetUtcNow();
        Assert.Equal(1, (await cache.GetAsync(Campaign(), compute, CancellationToken.None)).Value);
        Assert.Equal((2, refreshStarted), Of(await cache.GetAsync(Campaign(), compute, CancellationToken.None)));
        Assert.Equal(2, computations.Count);
    }

    [Fact]
    public async Task Without_a_refresh_ahead_a_value_is_computed_again_only_when_it_is_too_old()
    {
        var clock = new SettableClock();
        var cache = new RecentPerCampaign<int>(MaxAge, MaxAge, clock);
        var computations = new Computations();
        Func<CancellationToken, Task<int>> compute = _ => Task.FromResult(computations.Next());
        await cache.GetAsync(Campaign(), compute, CancellationToken.None);
        clock.Advance(MaxAge - TimeSpan.FromSeconds(1));
        Assert.Equal(1, (await cache.GetAsync(Campaign(), compute, CancellationToken.None)).Value);
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(2, (await cache.GetAsync(Campaign(), compute, CancellationToken.None)).Value);
    }

    [Fact]
    public async Task A_new_status_or_branch_count_or_a_failure_computes_afresh_at_once()
    {
        var clock = new SettableClock();
        var cache = new RecentPerCampaign<int>(MaxAge, RefreshAfter, clock);
        var computations = new Computations();
        bool fail = false;
        Func<CancellationToken, Task<int>> compute = _ =>
        {
            int n = computations.Next();
            return fail ? Task.FromException<int>(new InvalidOperationException("storage")) : Task.FromResult(n);
        };
        Assert.Equal(1, (await cache.GetAsync(Campaign(), compute, CancellationToken.None)).Value);
        Assert.Equal(2, (await cache.GetAsync(Campaign(CampaignStatus.Publicity), compute, CancellationToken.None)).Value);
        Assert.Equal(3, (await cache.GetAsync(Campaign(CampaignStatus.Publicity, 4), compute, CancellationToken.None)).Value);

        fail = true;
        cache.Forget("c-1");
        await Assert.ThrowsAsync<InvalidOperationException>(() => cache.GetAsync(Campaign(), compute, CancellationToken.None));
        fail = false;
        Assert.Equal(5, (await cache.GetAsync(Campaign(), compute, CancellationToken.None)).Value);
    }

    static (int, DateTimeOffset) Of(Recent<int> recent) => (recent.Value, recent.AsOf);

    static CampaignRecord Campaign(string status = CampaignStatus.Running, int branches = 3) => new()
    {
        Definition = ChifengCampaign.Definition("c-1", "chifeng", "测试"),
        Status = status, CreatedAt = DateTimeOffset.UnixEpoch, CreatedBy = "org-1", BranchCount = branches,
    };

    sealed class Computations
    {
        int count;

        public int Count => Volatile.Read(ref count);

        public int Next() => Interlocked.Increment(ref count);
    }

    sealed class SettableClock : TimeProvider
    {
        DateTimeOffset now = new(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => now;

        public void Advance(TimeSpan by) => now += by;
    }
}
