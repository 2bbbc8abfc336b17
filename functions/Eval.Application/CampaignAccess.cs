using System.Collections.Concurrent;
using Eval.Workflows.Domain;
using Eval.Workflows.Storage;

namespace Eval.Application;

/// <summary>Loads a campaign for a request and answers the common "who may see it" question.</summary>
public sealed class CampaignAccess(CampaignStore campaigns)
{
    /// <summary>A host serves a few campaigns a year; past this many, the cache starts over rather than grow.</summary>
    public const int MaxCachedDefinitions = 1000;

    // The definitions of started campaigns, as read once. A definition never changes after creation and a start
    // never ends, so every host instance may keep them: each evaluation step needs one, and at a city's deadline
    // thousands of steps would otherwise read the same row.
    readonly ConcurrentDictionary<string, CampaignDefinition> started = new();

    public static bool IsCampaignId(string id) =>
        id.Length is >= 3 and <= 63 && id.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-') && id[0] != '-';

    public async Task<(CampaignRecord? Campaign, Azure.ETag ETag, Problem? Problem)> LoadAsync(string campaignId, CancellationToken ct)
    {
        if (!IsCampaignId(campaignId)) return (null, default, Problem.NotFound($"No campaign '{campaignId}'."));
        var found = await campaigns.GetAsync(campaignId, ct);
        return found is null
            ? (null, default, Problem.NotFound($"No campaign '{campaignId}'."))
            : (found.Value.Record, found.Value.ETag, null);
    }

    /// <summary>
    /// The definition of a campaign whose evaluations have started (BranchCount set), from the cache when it was seen
    /// before; otherwise the record as stored (to say why there is nothing to act on yet) or the problem for the id.
    /// </summary>
    public async Task<(CampaignDefinition? Started, CampaignRecord? NotStarted, Problem? Problem)> LoadStartedAsync(string campaignId,
        CancellationToken ct)
    {
        if (started.TryGetValue(campaignId, out CampaignDefinition? definition)) return (definition, null, null);
        var (campaign, _, problem) = await LoadAsync(campaignId, ct);
        if (problem is not null) return (null, null, problem);
        if (campaign!.BranchCount is null) return (null, campaign, null);
        if (started.Count >= MaxCachedDefinitions) started.Clear();
        started[campaignId] = campaign.Definition;
        return (campaign.Definition, null, null);
    }

    /// <summary>The roles that evaluate, at, inside or above the campaign's unit, see all of the campaign.</summary>
    public static bool CanSee(Caller caller, CampaignRecord campaign) =>
        caller.IsWorking && (caller.Covers(campaign.Definition.Unit) || UnitPath.Covers(campaign.Definition.Unit, caller.Unit));

    /// <summary>The caller's unit lies inside the campaign's: it may object during the notice.</summary>
    public static bool IsInside(Caller caller, CampaignRecord campaign) => UnitPath.Covers(campaign.Definition.Unit, caller.Unit);

    /// <summary>
    /// Members see only what the public notice shows (title, status, dates) of the campaigns they may object in: inside
    /// the campaign's unit, from the notice on.
    /// </summary>
    public static bool CanSeeNotice(Caller caller, CampaignRecord campaign) =>
        CanSee(caller, campaign) || (IsInside(caller, campaign) && campaign.Status is CampaignStatus.Publicity or CampaignStatus.Published);

    /// <summary>The organization department at or above the campaign's unit runs it.</summary>
    public static bool CanRun(Caller caller, CampaignRecord campaign) => caller.CanActOn(Roles.OrgDepartment, campaign.Definition.Unit);
}
