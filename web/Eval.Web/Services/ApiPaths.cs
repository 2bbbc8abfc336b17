namespace Eval.Web.Services;

/// <summary>The API's resources the pages call, with every id escaped in one place.</summary>
public static class ApiPaths
{
    public static string Campaign(string campaignId) => $"api/campaigns/{Uri.EscapeDataString(campaignId)}";

    public static string Evaluation(string campaignId, string branchId) =>
        $"{Campaign(campaignId)}/evaluations/{Uri.EscapeDataString(branchId)}";

    /// <summary>A branch's title from a campaign, where its changes and their files are.</summary>
    public static string Honour(string campaignId, string branchId) => $"{Campaign(campaignId)}/honours/{Uri.EscapeDataString(branchId)}";
}
