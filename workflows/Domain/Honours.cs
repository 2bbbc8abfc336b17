namespace Eval.Workflows.Domain;

/// <summary>
/// A title a branch carries after a campaign published it with a level (the honours register): what it was given,
/// where it stands now (<see cref="HonourStatus"/>), since when and why. Managed through the year (动态管理): a
/// demotion or revocation changes <see cref="CurrentLevel"/> and <see cref="Status"/>; a later campaign's list, or a
/// year, ends it.
/// </summary>
public sealed record Honour(string CampaignId, string BranchId, string BranchName, int Year, string Level, DateTimeOffset PublishedAt)
{
    /// <summary>The level the branch holds now: the published one, a lower one after a demotion, or none after a revocation.</summary>
    public required string CurrentLevel { get; init; }
    /// <summary>As stored: active, downgraded, revoked or expired (superseded). <see cref="StatusAt"/> adds the year's end.</summary>
    public required string Status { get; init; }
    public required DateTimeOffset Since { get; init; }
    /// <summary>Why the status changed: one of <see cref="HonourReasons"/> (null while active as published).</summary>
    public string? ReasonCategory { get; init; }
    /// <summary>The public short reason, in words.</summary>
    public string? Reason { get; init; }
    /// <summary>The change (动态管理) that set the status, when one did.</summary>
    public string? ChangeId { get; init; }

    /// <summary>A title is carried for a year from its publication.</summary>
    public DateTimeOffset ValidUntil => PublishedAt.AddYears(1);

    /// <summary>The status at <paramref name="now"/>: an honour still active a year after its publication has expired.</summary>
    public string StatusAt(DateTimeOffset now) =>
        HonourStatus.IsHeld(Status) && now >= ValidUntil ? HonourStatus.Expired : Status;

    /// <summary>Since when <see cref="StatusAt"/> holds.</summary>
    public DateTimeOffset SinceAt(DateTimeOffset now) => StatusAt(now) == HonourStatus.Expired && Status != HonourStatus.Expired
        ? ValidUntil : Since;

    /// <summary>Whether the branch still carries a title (a demoted one included).</summary>
    public bool IsHeldAt(DateTimeOffset now) => HonourStatus.IsHeld(StatusAt(now));

    /// <summary>The register's entry for a branch a campaign published with <paramref name="rating"/>'s level, or null for none.</summary>
    public static Honour? Of(string campaignId, int year, RankedBranch rating, DateTimeOffset publishedAt) =>
        rating.Level is Ranking.NoLevel or Ranking.Revoked ? null
        : new Honour(campaignId, rating.BranchId, rating.BranchName, year, rating.Level, publishedAt)
        {
            CurrentLevel = rating.Level, Status = HonourStatus.Active, Since = publishedAt,
        };
}

public static class HonourStatus
{
    public const string Active = "active";
    public const string Downgraded = "downgraded";
    public const string Revoked = "revoked";
    public const string Expired = "expired";

    public static readonly IReadOnlyList<string> All = [Active, Downgraded, Revoked, Expired];

    /// <summary>Whether a branch with this status carries the title (a demoted one included).</summary>
    public static bool IsHeld(string status) => status is Active or Downgraded;
}

/// <summary>
/// Why an honour's status changed: the categories the register, the public list and the verification page show (the
/// description stays with the roles in scope).
/// </summary>
public static class HonourReasons
{
    /// <summary>A veto event after the campaign (一票否决事项), as another department reports it.</summary>
    public const string Veto = "veto";
    /// <summary>An item of the negative list (负面清单).</summary>
    public const string NegativeList = "negative-list";
    /// <summary>Designated weak and lax (软弱涣散).</summary>
    public const string WeakAndLax = "weak-and-lax";
    public const string Other = "other";
    /// <summary>Not a change's reason: a later campaign's list took the title's place.</summary>
    public const string Superseded = "superseded";

    /// <summary>The reasons a proposal may give (a campaign may narrow them).</summary>
    public static readonly IReadOnlyList<string> Proposable = [Veto, NegativeList, WeakAndLax, Other];
}
