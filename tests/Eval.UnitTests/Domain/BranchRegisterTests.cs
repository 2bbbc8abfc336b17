using Eval.Workflows.Domain;

namespace Eval.UnitTests.Domain;

/// <summary>
/// What a new campaign keeps of each branch's honours register (docs/scoring.md, "The register in a new campaign"): the
/// latest year's title as it stands, the consecutive years at the top level up to it, and the latest revocation.
/// </summary>
public sealed class BranchRegisterTests
{
    const string Branch = "chifeng.hongshan.t01.b001";
    const string Top = "strongest";
    static readonly DateTimeOffset Start = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    static (Honour, string) Title(int year, string level, string? current = null, string status = HonourStatus.Active,
        DateTimeOffset? since = null, string branch = Branch, string? campaign = null, DateTimeOffset? publishedAt = null)
    {
        DateTimeOffset published = publishedAt ?? new DateTimeOffset(year + 1, 1, 15, 0, 0, 0, TimeSpan.Zero);
        return (new Honour(campaign ?? $"hongshan-{year}", branch, "第一嘎查党支部", year, level, published)
        {
            CurrentLevel = current ?? level, Status = status, Since = since ?? published,
        }, Top);
    }

    static BranchRegister Of(params (Honour, string)[] titles) => BranchRegister.Of(titles, Start)[Branch];

    [Fact]
    public void Consecutive_years_at_the_top_level_are_counted_up_to_the_latest()
    {
        BranchRegister register = Of(Title(2023, Top), Title(2024, Top), Title(2025, Top));

        Assert.Equal(new BranchRegister(2025, "hongshan-2025", Top, HonourStatus.Active, 3), register);
        Assert.Null(register.RevokedAt);
    }

    [Fact]
    public void A_gap_year_or_a_lower_level_ends_the_run()
    {
        Assert.Equal(1, Of(Title(2022, Top), Title(2023, Top), Title(2025, Top)).TopLevelYears);   // nothing in 2024
        Assert.Equal(1, Of(Title(2023, Top), Title(2024, "advanced"), Title(2025, Top)).TopLevelYears);
        BranchRegister advanced = Of(Title(2024, Top), Title(2025, "advanced"));
        Assert.Equal(("advanced", 0), (advanced.LastLevel, advanced.TopLevelYears));
    }

    [Fact]
    public void A_demotion_shows_the_level_held_now_and_does_not_count_as_a_year_at_the_top()
    {
        BranchRegister register = Of(Title(2024, Top), Title(2025, Top, current: "advanced", status: HonourStatus.Downgraded));

        Assert.Equal(("advanced", HonourStatus.Downgraded, 0), (register.LastLevel, register.LastStatus, register.TopLevelYears));
    }

    [Fact]
    public void A_revocation_is_kept_with_its_date_and_the_whole_days_to_the_start()
    {
        var revokedAt = new DateTimeOffset(2025, 11, 20, 18, 0, 0, TimeSpan.Zero);
        BranchRegister register = Of(Title(2024, Top),
            Title(2025, Top, current: Ranking.NoLevel, status: HonourStatus.Revoked, since: revokedAt));

        Assert.Equal((Ranking.NoLevel, HonourStatus.Revoked, 0), (register.LastLevel, register.LastStatus, register.TopLevelYears));
        Assert.Equal(revokedAt, register.RevokedAt);
        Assert.Equal(100, register.RevokedDaysBeforeStart); // 100 days and 6 hours
    }

    [Fact]
    public void The_latest_of_several_revocations_counts_and_an_active_title_past_its_year_has_expired()
    {
        var first = new DateTimeOffset(2023, 6, 1, 0, 0, 0, TimeSpan.Zero);
        var second = new DateTimeOffset(2024, 6, 1, 0, 0, 0, TimeSpan.Zero);
        BranchRegister register = Of(
            Title(2022, Top, current: Ranking.NoLevel, status: HonourStatus.Revoked, since: first),
            Title(2023, Top, current: Ranking.NoLevel, status: HonourStatus.Revoked, since: second),
            Title(2024, "advanced", publishedAt: new DateTimeOffset(2025, 6, 1, 0, 0, 0, TimeSpan.Zero)));

        Assert.Equal(second, register.RevokedAt);
        Assert.Equal(HonourStatus.Active, register.LastStatus); // published 2025-06-01, held until 2026-06-01
        Assert.Equal(HonourStatus.Expired, BranchRegister.Of(
            [Title(2024, "advanced", publishedAt: new DateTimeOffset(2025, 1, 15, 0, 0, 0, TimeSpan.Zero))], Start)[Branch].LastStatus);
    }

    [Fact]
    public void In_a_year_with_two_campaigns_the_later_publication_counts()
    {
        BranchRegister register = Of(
            Title(2025, Top, campaign: "chifeng-2025", publishedAt: new DateTimeOffset(2025, 12, 1, 0, 0, 0, TimeSpan.Zero)),
            Title(2025, "advanced", campaign: "hongshan-2025", publishedAt: new DateTimeOffset(2025, 12, 20, 0, 0, 0, TimeSpan.Zero)));

        Assert.Equal(("hongshan-2025", "advanced", 0), (register.LastCampaignId, register.LastLevel, register.TopLevelYears));
    }

    [Fact]
    public void Each_branch_has_its_own_and_a_branch_without_a_title_has_none()
    {
        Dictionary<string, BranchRegister> registers = BranchRegister.Of(
            [Title(2025, Top), Title(2025, "advanced", branch: "chifeng.hongshan.t01.b002")], Start);

        Assert.Equal(Top, registers[Branch].LastLevel);
        Assert.Equal("advanced", registers["chifeng.hongshan.t01.b002"].LastLevel);
        Assert.False(registers.ContainsKey("chifeng.hongshan.t01.b003"));
    }

    [Fact]
    public void The_register_comes_from_campaigns_published_before_the_start_over_the_unit_above_it_or_under_it()
    {
        static CampaignRecord Campaign(string id, string unit, DateTimeOffset? publishedAt, string status = CampaignStatus.Published) =>
            new()
            {
                Definition = new CampaignDefinition(id, id, unit, new Rubric([], 1, 0, []), [new Level(Top, "最强党支部", 90)],
                    new Schedule("P1D", "P1D", "P1D", "P1D")),
                Status = status, CreatedAt = default, CreatedBy = "org", PublishedAt = publishedAt,
            };
        DateTimeOffset before = Start.AddDays(-30);
        CampaignRecord[] campaigns =
        [
            Campaign("hongshan-2025", "chifeng.hongshan", before),
            Campaign("chifeng-2025", "chifeng", before),                         // the city's: above it
            Campaign("t01-2025", "chifeng.hongshan.t01", before),                // a township's: under it
            Campaign("songshan-2025", "chifeng.songshan", before),               // another county's
            Campaign("hongshan-x-2025", "chifeng.hongshan-x", before),           // a name that only starts the same
            Campaign("hongshan-late", "chifeng.hongshan", Start.AddDays(1)),     // published after the start
            Campaign("hongshan-open", "chifeng.hongshan", null, CampaignStatus.Publicity),
            Campaign("hongshan-2026", "chifeng.hongshan", before),               // the campaign itself
        ];

        Assert.Equal(["hongshan-2025", "chifeng-2025", "t01-2025"],
            BranchRegister.Sources(campaigns, "hongshan-2026", "chifeng.hongshan", Start).Select(c => c.Definition.Id));
    }
}
