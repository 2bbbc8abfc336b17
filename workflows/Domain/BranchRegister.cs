namespace Eval.Workflows.Domain;

/// <summary>
/// What the honours register held of a branch when a campaign started (docs/scoring.md, "The register in a new
/// campaign"): its latest title (<see cref="LastYear"/>, the level it holds now after any demotion, the status at the
/// start), how many consecutive years up to that one it held the top level of its campaign, and when a title of it was
/// last revoked. Kept on the evaluation as read at the start; a change to the register after the start is not seen.
/// </summary>
public sealed record BranchRegister(int LastYear, string LastCampaignId, string LastLevel, string LastStatus, int TopLevelYears)
{
    /// <summary>When the latest revocation of any of the branch's titles took effect; null when none was revoked.</summary>
    public DateTimeOffset? RevokedAt { get; init; }

    /// <summary>Whole days from <see cref="RevokedAt"/> to the campaign's start (0 for a revocation after it).</summary>
    public int? RevokedDaysBeforeStart { get; init; }

    /// <summary>
    /// The earlier campaigns whose register a campaign over <paramref name="unit"/> started at <paramref name="startedAt"/>
    /// reads: published before the start, over that unit, a unit above it or one under it (a campaign over another county
    /// holds none of its branches).
    /// </summary>
    public static IEnumerable<CampaignRecord> Sources(IEnumerable<CampaignRecord> published, string campaignId, string unit,
        DateTimeOffset startedAt) =>
        published.Where(c => c.Definition.Id != campaignId && c.Status == CampaignStatus.Published
            && c.PublishedAt is { } at && at <= startedAt
            && (UnitPath.Covers(c.Definition.Unit, unit) || UnitPath.Covers(unit, c.Definition.Unit)));

    /// <summary>
    /// Each branch's register from the titles of earlier campaigns, each with its campaign's top level (its first level).
    /// In a year with titles from two campaigns, the later published one counts.
    /// </summary>
    public static Dictionary<string, BranchRegister> Of(IEnumerable<(Honour Honour, string TopLevel)> titles, DateTimeOffset startedAt)
    {
        var registers = new Dictionary<string, BranchRegister>(StringComparer.Ordinal);
        foreach (var branch in titles.GroupBy(t => t.Honour.BranchId, StringComparer.Ordinal))
        {
            // Latest year first; within a year, the latest publication.
            var byYear = branch.GroupBy(t => t.Honour.Year)
                .Select(year => year.OrderByDescending(t => t.Honour.PublishedAt).ThenBy(t => t.Honour.CampaignId, StringComparer.Ordinal)
                    .First())
                .OrderByDescending(t => t.Honour.Year).ToList();
            Honour last = byYear[0].Honour;
            int topYears = 0;
            for (int i = 0; i < byYear.Count && byYear[i].Honour.Year == last.Year - i; i++)
            {
                if (byYear[i].Honour.CurrentLevel != byYear[i].TopLevel) break;
                topYears++;
            }
            DateTimeOffset? revokedAt = branch.Where(t => t.Honour.Status == HonourStatus.Revoked)
                .Select(t => (DateTimeOffset?)t.Honour.Since).Max();
            registers[branch.Key] = new BranchRegister(last.Year, last.CampaignId, last.CurrentLevel, last.StatusAt(startedAt), topYears)
            {
                RevokedAt = revokedAt,
                RevokedDaysBeforeStart = revokedAt is { } r ? Math.Max(0, (int)Math.Floor((startedAt - r).TotalDays)) : null,
            };
        }
        return registers;
    }
}
