using Azure;
using Azure.Data.Tables;
using Eval.Workflows.Domain;
using Eval.Workflows.Schemas;
using Eval.Workflows.Storage;

namespace Eval.Application.Objections;

/// <summary>An objection as the organization department (or its filer) sees it.</summary>
public sealed record ObjectionView(string Id, string BranchId, string Text, Actor FiledBy, DateTimeOffset FiledAt, string Status,
    string? Comment, Actor? ResolvedBy, DateTimeOffset? ResolvedAt)
{
    public static ObjectionView Of(ObjectionRecord o) =>
        new(o.Id, o.BranchId, o.Text, o.FiledBy, o.FiledAt, o.Status, o.Comment, o.ResolvedBy, o.ResolvedAt);
}

/// <summary>A page of a campaign's objections, oldest first; pass continuationToken back for the next.</summary>
public sealed record ObjectionList(string CampaignId, IReadOnlyList<ObjectionView> Objections, string? ContinuationToken);

/// <summary>Reading objections: a page of a campaign's, and one.</summary>
public sealed class ObjectionQueries(CampaignAccess access, ObjectionStore objections)
{
    public const int MaxPageSize = 200;
    const int DefaultPageSize = 50;

    /// <summary>
    /// A page of the campaign's objections in the order they were filed: all of them for the organization department,
    /// one's own for anyone else inside the campaign's unit. The query-string values come as sent; each one that does not
    /// fit is a 422 at its /query/ pointer.
    /// </summary>
    public async Task<Result<ObjectionList>> ListAsync(Caller caller, string campaignId, string? status, string? pageSize,
        string? continuationToken, CancellationToken ct)
    {
        var (campaign, _, missing) = await access.LoadAsync(campaignId, ct);
        if (missing is not null) return missing;
        bool all = CampaignAccess.CanRun(caller, campaign!);
        if (!all && !CampaignAccess.IsInside(caller, campaign!))
            return Problem.Forbidden(
                "Objections are listed for the organization department of the campaign's unit, and for their filers inside it.");

        if (status is not null && !ObjectionStatus.All.Contains(status))
            return Problem.Validation([new FieldError("/query/status", $"one of {string.Join(", ", ObjectionStatus.All)}")]);
        int size = DefaultPageSize;
        if (pageSize is not null && (!int.TryParse(pageSize, out size) || size is < 1 or > MaxPageSize))
            return Problem.Validation([new FieldError("/query/pageSize", $"an integer from 1 to {MaxPageSize}")]);
        string? filer = all ? null : caller.Id;
        string listing = $"objections:{status}:{(filer is null ? "" : ObjectionStore.FilerKey(filer))}";
        string? token = null;
        if (continuationToken is not null && (token = PageToken.Open(continuationToken, campaignId, listing, null)) is null)
            return Problem.Validation([new FieldError("/query/continuationToken",
                "not a token this API gave for this campaign and listing")]);

        try
        {
            await foreach (Page<TableEntity> page in objections.Query(campaignId, status, filer, size)
                               .AsPages(token, size).WithCancellation(ct))
                return new ObjectionList(campaignId, [.. page.Values.Select(e => ObjectionView.Of(ObjectionStore.FromEntity(e)))],
                    page.ContinuationToken is { } next ? PageToken.Seal(next, campaignId, listing, null) : null);
            return new ObjectionList(campaignId, [], null);
        }
        catch (RequestFailedException e) when (e.Status is 400 or 404)
        {
            return Problem.Validation([new FieldError("/query/continuationToken", "not a token this API gave")]);
        }
    }

    /// <summary>The organization department sees every objection, its filer sees its own; to anyone else it does not exist.</summary>
    public async Task<Result<ObjectionView>> GetAsync(Caller caller, string campaignId, string objectionId, CancellationToken ct)
    {
        var (campaign, _, missing) = await access.LoadAsync(campaignId, ct);
        if (missing is not null) return missing;
        var found = ObjectionIds.IsValid(objectionId) ? await objections.GetAsync(campaignId, objectionId, ct) : null;
        if (found is not { } o || !(CampaignAccess.CanRun(caller, campaign!) || o.Record.FiledBy.Id == caller.Id))
            return Problem.NotFound($"No objection '{objectionId}'.");
        return ObjectionView.Of(o.Record);
    }
}
