using System.Collections.Concurrent;
using Eval.Workflows.Domain;
using Eval.Workflows.Storage;

namespace Eval.Workflows.Notifications;

/// <summary>
/// Schedules the reminders of a deadline by the campaign's <see cref="ReminderRules"/>: one row of table Reminders per
/// moment still to come. Nothing else is written or read while a step waits; the sweep checks, when a reminder is due,
/// that the step still waits with that deadline (a step taken, or a deadline extended, leaves its old reminders moot).
/// </summary>
public sealed class ReminderScheduler(ReminderStore store, CampaignStore campaigns, TimeProvider clock)
{
    // A definition never changes once created: kept once read (a city holds tens of campaigns a year).
    readonly ConcurrentDictionary<string, CampaignDefinition> definitions = new();

    /// <summary>The campaign's definition, from the cache when seen before; null for a campaign that does not exist.</summary>
    public async Task<CampaignDefinition?> DefinitionAsync(string campaignId, CancellationToken ct = default)
    {
        if (definitions.TryGetValue(campaignId, out CampaignDefinition? known)) return known;
        if (await campaigns.GetAsync(campaignId, ct) is not var (campaign, _)) return null;
        if (definitions.Count >= 1000) definitions.Clear();
        return definitions[campaignId] = campaign.Definition;
    }

    /// <summary>The reminders of one evaluation's step of <paramref name="stage"/> and round, due by <paramref name="deadline"/>.</summary>
    public Task ScheduleStepAsync(CampaignDefinition campaign, EvaluationRecord evaluation, string stage, int round,
        DateTimeOffset deadline, CancellationToken ct = default) =>
        store.ScheduleAsync(Moments(campaign, deadline).Select(m =>
            new Reminder(ReminderKinds.Evaluation, campaign.Id, m.At, deadline, m.Before)
            {
                BranchId = evaluation.BranchId, BranchName = evaluation.BranchName, Stage = stage, Round = round,
                Needed = stage == Stages.AwaitingCountyScore ? campaign.ScorersPerBranch : 1,
            }), ct);

    /// <summary>The reminders of every evaluation of the campaign waiting at <paramref name="stage"/> for the same deadline.</summary>
    public Task ScheduleStageAsync(CampaignDefinition campaign, string stage, int round, DateTimeOffset deadline,
        CancellationToken ct = default) =>
        store.ScheduleAsync(Moments(campaign, deadline).Select(m =>
            new Reminder(ReminderKinds.Stage, campaign.Id, m.At, deadline, m.Before) { Stage = stage, Round = round }), ct);

    /// <summary>The reminders of the decision on a change of an honour, due by its <see cref="HonourChange.DecisionDue"/>.</summary>
    public Task ScheduleDecisionAsync(CampaignDefinition campaign, HonourChange change, string branchName,
        CancellationToken ct = default) =>
        store.ScheduleAsync(Moments(campaign, change.DecisionDue).Select(m =>
            new Reminder(ReminderKinds.HonourChange, campaign.Id, m.At, change.DecisionDue, m.Before)
            {
                BranchId = change.BranchId, BranchName = branchName, ChangeId = change.Id,
            }), ct);

    /// <summary>The moments still to come, each a configured offset before the deadline.</summary>
    IEnumerable<(DateTimeOffset At, string Before)> Moments(CampaignDefinition campaign, DateTimeOffset deadline)
    {
        DateTimeOffset now = clock.GetUtcNow();
        return campaign.ReminderRules().Offsets().Select(o => (At: deadline - o.Offset, Before: o.Text)).Where(m => m.At > now);
    }
}
