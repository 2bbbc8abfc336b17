using Eval.Api.Auth;
using Eval.Api.Http;
using Eval.Workflows.Domain;
using Eval.Workflows.Storage;
using Microsoft.AspNetCore.Http;

namespace Eval.Api.Handlers;

/// <summary>Loads a campaign for a request and answers the common "who may see it" question.</summary>
public sealed class CampaignAccess(CampaignStore campaigns)
{
    public static bool IsCampaignId(string id) =>
        id.Length is >= 3 and <= 63 && id.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-') && id[0] != '-';

    public async Task<(CampaignRecord? Campaign, Azure.ETag ETag, IResult? Problem)> LoadAsync(string campaignId, CancellationToken ct)
    {
        if (!IsCampaignId(campaignId)) return (null, default, Problems.NotFound($"No campaign '{campaignId}'."));
        var found = await campaigns.GetAsync(campaignId, ct);
        return found is null ? (null, default, Problems.NotFound($"No campaign '{campaignId}'.")) : (found.Value.Record, found.Value.ETag, null);
    }

    /// <summary>Anyone working inside the campaign's unit, or above it, may see the campaign.</summary>
    public static bool CanSee(Caller caller, CampaignRecord campaign) =>
        caller.Covers(campaign.Definition.Unit) || UnitPath.Covers(campaign.Definition.Unit, caller.Unit);

    /// <summary>The organization department at or above the campaign's unit runs it.</summary>
    public static bool CanRun(Caller caller, CampaignRecord campaign) => caller.CanActOn(Roles.OrgDepartment, campaign.Definition.Unit);
}
