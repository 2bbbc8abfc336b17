using Eval.Workflows.Domain;
using Eval.Workflows.Storage;

namespace Eval.Application.Campaigns;

/// <summary>How many of a campaign's evaluations are at each stage, how many are overdue, and how many there are.</summary>
public sealed record StageCounts(Dictionary<string, int> Stages, int Overdue, int Total)
{
    /// <summary>Evaluations still waiting for a human step.</summary>
    public int Waiting => Stages[Workflows.Domain.Stages.AwaitingSelfAssessment] + Stages[Workflows.Domain.Stages.AwaitingTownshipReview]
        + Stages[Workflows.Domain.Stages.AwaitingCountyScore];
}

/// <summary>
/// Counts a campaign's evaluations per stage. Counting reads two columns of every row of the campaign's partition,
/// so what a polled screen asks for (GET campaign) comes from a count at most <see cref="MaxAge"/> old, made once per
/// campaign and host instance however many callers ask at once, and made again as soon as the campaign's status or
/// branch count changes (<see cref="RecentPerCampaign{T}"/>); publication counts afresh.
/// </summary>
public sealed class StageCounter(EvaluationStore evaluations, TimeProvider clock)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(5);

    readonly RecentPerCampaign<StageCounts> recent = new(MaxAge, refreshAfter: MaxAge, clock);

    /// <summary>Counts at most <see cref="MaxAge"/> old: the last count, or one in progress, or a new one.</summary>
    public async Task<StageCounts> RecentAsync(CampaignRecord campaign, CancellationToken ct) =>
        (await recent.GetAsync(campaign, token => CountNowAsync(campaign.Definition.Id, token), ct)).Value;

    /// <summary>Counts now, from the Evaluations table (two columns of one partition), not from orchestration state.</summary>
    public async Task<StageCounts> CountNowAsync(string campaignId, CancellationToken ct)
    {
        var stages = Stages.All.ToDictionary(s => s, _ => 0);
        int overdue = 0, total = 0;
        var rows = evaluations.Query(campaignId, null, null, select: ["Stage", "Overdue"], pageSize: 1000);
        await foreach (var row in rows.WithCancellation(ct))
        {
            total++;
            if (row.GetString("Stage") is { } s && stages.ContainsKey(s)) stages[s]++;
            if (row.GetBoolean("Overdue") == true) overdue++;
        }
        return new StageCounts(stages, overdue, total);
    }
}
