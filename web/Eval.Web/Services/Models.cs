namespace Eval.Web.Services;

// The API's resources as this app reads them: the fields it shows, named as docs/openapi.json names them.

/// <summary>The local host's development sign-in answer (POST /api/dev/token).</summary>
public sealed record DevToken(string Token, DateTimeOffset ExpiresAt, string Role, string Unit, string UnitName, string Name);

/// <summary>One page of the inbox (GET /api/inbox).</summary>
public sealed record InboxPage(IReadOnlyList<InboxEntry> Items, string? ContinuationToken);

public sealed record InboxEntry(string Kind, string Role, string Status, DateTimeOffset Due, string CampaignId, string CampaignTitle,
    string BranchId, string BranchName, string Unit, string Link, string Action, string? Id, bool Escalated);

/// <summary>A campaign's ratings list, under notice or published (GET /api/campaigns/{cid}/ratings).</summary>
public sealed record RatingsList(string CampaignId, string Status, DateTimeOffset? PublicityEndsAt, DateTimeOffset? PublishedAt,
    IReadOnlyList<RatedBranch> Ratings);

public sealed record RatedBranch(string BranchId, string BranchName, decimal Score, decimal UnityShare, int Rank, string Level);
