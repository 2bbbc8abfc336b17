using Eval.Workflows.Domain;
using Eval.Workflows.Schemas;
using Eval.Workflows.Storage;
using NJsonSchema;

namespace Eval.Application.Campaigns;

/// <summary>A campaign: its definition, status and, when read, its evaluations counted per stage.</summary>
public sealed record CampaignView(string Id, string Title, string Unit, string Status, DateTimeOffset CreatedAt, DateTimeOffset? StartedAt,
    int? BranchCount, DateTimeOffset? PublicationRequestedAt, DateTimeOffset? PublicityEndsAt, DateTimeOffset? PublishedAt,
    CampaignProgress? Evaluations, CampaignDefinition Definition)
{
    /// <summary>The campaign as stored, with its counts per stage when they were read (none right after creation).</summary>
    public static CampaignView Of(CampaignRecord c, StageCounts? counts) => new(
        c.Definition.Id,
        c.Definition.Title,
        c.Definition.Unit,
        c.Status,
        c.CreatedAt,
        c.StartedAt,
        c.BranchCount,
        c.PublicationRequestedAt,
        c.PublicityEndsAt,
        c.PublishedAt,
        counts is null ? null : new CampaignProgress(counts.Total, counts.Stages, counts.Overdue),
        c.Definition);
}

/// <summary>A campaign in a list: what it is and where it stands, without its definition or counts.</summary>
public sealed record CampaignSummary(string Id, string Title, string Unit, string Status, DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt, int? BranchCount, DateTimeOffset? PublicityEndsAt, DateTimeOffset? PublishedAt)
{
    public static CampaignSummary Of(CampaignRecord c) => new(c.Definition.Id, c.Definition.Title, c.Definition.Unit, c.Status,
        c.CreatedAt, c.StartedAt, c.BranchCount, c.PublicityEndsAt, c.PublishedAt);
}

/// <summary>The campaigns a caller may see, newest first.</summary>
public sealed record CampaignList(IReadOnlyList<CampaignSummary> Campaigns);

/// <summary>How many of a campaign's evaluations are at each stage, and how many are overdue.</summary>
public sealed record CampaignProgress(int Total, IReadOnlyDictionary<string, int> Stages, int Overdue);

/// <summary>
/// One campaign as its reader may see it: all of it (<see cref="View"/>) for the roles that evaluate, only its
/// <see cref="Summary"/> for a member from the public notice on. Exactly one of the two is set.
/// </summary>
public sealed record CampaignReading(CampaignView? View, CampaignSummary? Summary);

/// <summary>Reading campaigns: the list a caller may see, one campaign, and its self-assessment schema.</summary>
public sealed class CampaignQueries(CampaignAccess access, CampaignStore campaigns, StageCounter progress)
{
    /// <summary>
    /// The campaigns at, above or below the caller's unit (a branch secretary finds the ones it takes part in); for a
    /// member, those it may object in (<see cref="CampaignAccess.CanSeeNotice"/>). <paramref name="status"/> as sent.
    /// </summary>
    public async Task<Result<CampaignList>> ListAsync(Caller caller, string? status, CancellationToken ct)
    {
        if (status is not null && !CampaignStatus.All.Contains(status))
            return Problem.Validation([new FieldError("/query/status", $"one of {string.Join(", ", CampaignStatus.All)}")]);
        List<CampaignRecord> all = await campaigns.ListAsync(status, ct);
        return new CampaignList([.. all.Where(c => CampaignAccess.CanSeeNotice(caller, c))
            .OrderByDescending(c => c.CreatedAt).ThenBy(c => c.Definition.Id, StringComparer.Ordinal).Select(CampaignSummary.Of)]);
    }

    public async Task<Result<CampaignReading>> GetAsync(Caller caller, string campaignId, CancellationToken ct)
    {
        var (campaign, _, missing) = await access.LoadAsync(campaignId, ct);
        if (missing is not null) return missing;
        if (CampaignAccess.CanSee(caller, campaign!))
            return new CampaignReading(CampaignView.Of(campaign!, await progress.RecentAsync(campaign!, ct)), null);
        if (CampaignAccess.CanSeeNotice(caller, campaign!)) return new CampaignReading(null, CampaignSummary.Of(campaign!));
        return Problem.Forbidden(CampaignAccess.IsInside(caller, campaign!)
            ? "Members see a campaign from its public notice on." : "This campaign is outside your unit.");
    }

    /// <summary>
    /// The self-assessment schema generated from the rubric of a branch of <paramref name="category"/> (as sent; none: the
    /// campaign's own rubric).
    /// </summary>
    public async Task<Result<JsonSchema>> SelfAssessmentSchemaAsync(Caller caller, string campaignId, string? category,
        CancellationToken ct)
    {
        if (category is not null && !BranchCategories.All.Contains(category, StringComparer.Ordinal))
            return Problem.Validation([new FieldError("/query/category", $"one of {string.Join(", ", BranchCategories.All)}")]);
        var (campaign, _, missing) = await access.LoadAsync(campaignId, ct);
        if (missing is not null) return missing;
        if (!CampaignAccess.CanSee(caller, campaign!)) return Problem.Forbidden("This campaign is outside your unit.");
        return SchemaCatalog.SelfAssessment(campaign!.Definition, category);
    }
}
