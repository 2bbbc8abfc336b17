using System.Collections.Concurrent;
using Eval.Workflows.Domain;

namespace Eval.Application.Campaigns;

/// <summary>A value computed from a campaign's tables, and when its computation started: it is at most that old.</summary>
public sealed record Recent<T>(T Value, DateTimeOffset AsOf);

/// <summary>
/// One value per campaign and host instance whose computation reads the whole campaign (counts per stage, statistics): a
/// value whose computation started less than <c>maxAge</c> ago is served as it is, and one computation runs for any number
/// of callers who ask at the same time. A change of the campaign's status or branch count computes afresh at once (a
/// started campaign's first count is then complete). With <c>refreshAfter</c> below <c>maxAge</c>, the first caller after
/// <c>refreshAfter</c> starts the next computation in the background and is answered from the value there is, so a screen
/// polled steadily does not wait for the scan; past <c>maxAge</c> callers wait for a fresh one.
/// </summary>
public sealed class RecentPerCampaign<T>(TimeSpan maxAge, TimeSpan refreshAfter, TimeProvider clock)
{
    /// <summary>A host follows a few campaigns at once; past this many it starts over rather than grow.</summary>
    const int MaxCampaigns = 1000;

    public TimeSpan MaxAge { get; } = maxAge;

    sealed record Computation(DateTimeOffset StartedAt, Lazy<Task<T>> Task)
    {
        public bool Failed => Task.Value.IsFaulted || Task.Value.IsCanceled;
        public bool Done => Task.Value.IsCompletedSuccessfully;
    }

    /// <summary>The computation served, and the next one while it runs in the background.</summary>
    sealed record Slot(string Version, Computation Served, Computation? Next);

    readonly ConcurrentDictionary<string, Slot> slots = new(StringComparer.Ordinal);

    /// <summary>The campaign's value at most <see cref="MaxAge"/> old: the last one, or one in progress, or a new one.</summary>
    public async Task<Recent<T>> GetAsync(CampaignRecord campaign, Func<CancellationToken, Task<T>> compute, CancellationToken ct)
    {
        string campaignId = campaign.Definition.Id, version = $"{campaign.Status}|{campaign.BranchCount}";
        while (true)
        {
            DateTimeOffset now = clock.GetUtcNow();
            slots.TryGetValue(campaignId, out Slot? slot);
            if (slot is null || slot.Version != version || slot.Served.Failed)
            {
                var fresh = new Slot(version, Start(now, compute), null);
                if (!Replace(campaignId, slot, fresh)) continue;
                return await ServeAsync(fresh.Served, ct);
            }
            if (slot.Next is { } next && (next.Done || next.Failed))
            {
                // The background computation ended: serve it from now on (or forget it when it failed).
                Replace(campaignId, slot, slot with { Served = next.Done ? next : slot.Served, Next = null });
                continue;
            }
            TimeSpan age = now - slot.Served.StartedAt;
            if (age < refreshAfter || (age < MaxAge && !slot.Served.Done)) return await ServeAsync(slot.Served, ct);
            if (age < MaxAge)
            {
                if (slot.Next is null)
                {
                    Computation refresh = Start(now, compute);
                    if (Replace(campaignId, slot, slot with { Next = refresh })) _ = refresh.Task.Value;
                }
                return new Recent<T>(slot.Served.Task.Value.Result, slot.Served.StartedAt);
            }
            if (slot.Next is { } running && now - running.StartedAt < MaxAge) return await ServeAsync(running, ct);
            var renewed = new Slot(version, Start(now, compute), null);
            if (!Replace(campaignId, slot, renewed)) continue;
            return await ServeAsync(renewed.Served, ct);
        }
    }

    /// <summary>Drops what this host holds of the campaign: the next caller computes afresh.</summary>
    public void Forget(string campaignId) => slots.TryRemove(campaignId, out _);

    bool Replace(string campaignId, Slot? current, Slot next)
    {
        if (current is not null) return slots.TryUpdate(campaignId, next, current);
        if (slots.Count >= MaxCampaigns) slots.Clear();
        return slots.TryAdd(campaignId, next);
    }

    /// <summary>
    /// A computation that starts when first looked at (once it is in place: one that lost a race never runs). Not bound to
    /// any one request's cancellation: other callers may be waiting for it.
    /// </summary>
    static Computation Start(DateTimeOffset now, Func<CancellationToken, Task<T>> compute) =>
        new(now, new Lazy<Task<T>>(() => compute(CancellationToken.None)));

    static async Task<Recent<T>> ServeAsync(Computation computation, CancellationToken ct) =>
        new(await computation.Task.Value.WaitAsync(ct), computation.StartedAt);
}
