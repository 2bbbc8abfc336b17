using System.Diagnostics;
using Azure.Data.Tables;
using Eval.FunctionalTests.Infrastructure;
using Eval.LocalHost.Cli;
using Eval.Workflows.Activities;
using Eval.Workflows.Domain;
using Eval.Workflows.Notifications;
using Eval.Workflows.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;

namespace Eval.FunctionalTests;

/// <summary>
/// PrepareEvaluationsActivity on real tables: a campaign's start keeps each branch's honours register on its evaluation,
/// read from the earlier published campaigns over its unit and above it, and ignores the titles of another county.
/// </summary>
public sealed class RegisterAtStartTests(ITestOutputHelper output) : IAsyncLifetime
{
    readonly EvalTables tables = new(new TableServiceClient(AzuriteInstance.Shared.ConnectionString),
        new StorageOptions { TablePrefix = "ras" + Guid.NewGuid().ToString("N")[..8] });

    public Task InitializeAsync() => tables.EnsureCreatedAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    const string County = "chifeng.hongshan";
    static readonly DateTimeOffset Start = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task The_start_keeps_each_branchs_register_from_the_earlier_campaigns_over_its_unit()
    {
        var units = new UnitStore(tables);
        var campaigns = new CampaignStore(tables);
        var honours = new HonourStore(tables);
        List<Unit> tree =
            [new("chifeng", "赤峰市", "city"), new(County, "红山区", "county"), new("chifeng.songshan", "松山区", "county")];
        for (int t = 1; t <= 3; t++)
        {
            tree.Add(new($"{County}.t{t}", $"第{t}街道", "township"));
            for (int b = 1; b <= 100; b++) tree.Add(new($"{County}.t{t}.b{b:000}", $"第{b}党支部", "branch"));
        }
        await units.UpsertAsync(tree);
        string[] branches = [.. tree.Where(u => u.Kind == "branch").Select(u => u.Id)];
        string b1 = $"{County}.t1.b001", demoted = $"{County}.t1.b002", revoked = $"{County}.t1.b003", gap = $"{County}.t1.b004";
        DateTimeOffset revokedAt = Start.AddDays(-30).AddHours(-1);

        // Three years of the county's campaigns, every branch at the top level but for a demotion, a revocation and a gap.
        for (int year = 2023; year <= 2025; year++)
        {
            DateTimeOffset publishedAt = new(year, 12, 20, 0, 0, 0, TimeSpan.Zero);
            string id = $"hongshan-{year}";
            await PublishedAsync(campaigns, id, County, year, publishedAt);
            await honours.WriteAsync(branches.Where(b => !(b == gap && year == 2024)).Select(b =>
                Title(id, b, year, publishedAt) with
                {
                    CurrentLevel = year == 2025 && b == demoted ? "advanced" : year == 2025 && b == revoked ? Ranking.NoLevel : "strongest",
                    Status = year == 2025 && b == demoted ? HonourStatus.Downgraded
                        : year == 2025 && b == revoked ? HonourStatus.Revoked : HonourStatus.Active,
                    Since = year == 2025 && b == revoked ? revokedAt : publishedAt,
                }));
        }
        // Another county's campaign, published too, with titles of its own branches.
        DateTimeOffset elsewhere = new(2025, 12, 1, 0, 0, 0, TimeSpan.Zero);
        await PublishedAsync(campaigns, "songshan-2025", "chifeng.songshan", 2025, elsewhere);
        await honours.WriteAsync([Title("songshan-2025", "chifeng.songshan.t1.b001", 2025, elsewhere)]);

        await campaigns.TryCreateAsync(new CampaignRecord
        {
            Definition = ChifengCampaign.Definition("hongshan-2026", County, "2026年度评定") with { Year = 2026 },
            Status = CampaignStatus.Running, CreatedAt = Start, CreatedBy = "org", StartedAt = Start,
        });
        var prepare = new PrepareEvaluationsActivity(campaigns, units, new EvaluationStore(tables), new AuditStore(tables), honours,
            new ReminderScheduler(new ReminderStore(tables), campaigns, TimeProvider.System),
            new InboxIndex(tables, campaigns, units), NullLogger<PrepareEvaluationsActivity>.Instance);
        var watch = Stopwatch.StartNew();
        await prepare.RunAsync("hongshan-2026");
        output.WriteLine($"PrepareEvaluations: {branches.Length} branches, 900 titles in 3 campaigns: {watch.ElapsedMilliseconds} ms");

        var evaluations = new EvaluationStore(tables);
        async Task<BranchRegister?> RegisterOf(string branch) =>
            (await evaluations.GetAsync("hongshan-2026", branch))!.Value.Record.Register;
        Assert.Equal(new BranchRegister(2025, "hongshan-2025", "strongest", HonourStatus.Active, 3), await RegisterOf(b1));
        Assert.Equal(new BranchRegister(2025, "hongshan-2025", "advanced", HonourStatus.Downgraded, 0), await RegisterOf(demoted));
        Assert.Equal(new BranchRegister(2025, "hongshan-2025", Ranking.NoLevel, HonourStatus.Revoked, 0)
        {
            RevokedAt = revokedAt, RevokedDaysBeforeStart = 30,
        }, await RegisterOf(revoked));
        Assert.Equal(1, (await RegisterOf(gap))!.TopLevelYears);
        Assert.Equal(branches.Length, await CountWithRegisterAsync(evaluations));
    }

    static Honour Title(string campaignId, string branch, int year, DateTimeOffset publishedAt) =>
        new(campaignId, branch, branch, year, "strongest", publishedAt)
        {
            CurrentLevel = "strongest", Status = HonourStatus.Active, Since = publishedAt,
        };

    static Task<bool> PublishedAsync(CampaignStore campaigns, string id, string unit, int year, DateTimeOffset publishedAt) =>
        campaigns.TryCreateAsync(new CampaignRecord
        {
            Definition = ChifengCampaign.Definition(id, unit, $"{year}年度最强党支部评定") with { Year = year },
            Status = CampaignStatus.Published, CreatedAt = publishedAt.AddMonths(-3), CreatedBy = "org",
            StartedAt = publishedAt.AddMonths(-3), PublishedAt = publishedAt,
        });

    static async Task<int> CountWithRegisterAsync(EvaluationStore evaluations)
    {
        int count = 0;
        await foreach (TableEntity row in evaluations.Query("hongshan-2026", null, null, select: ["RowKey", "Register"], pageSize: 1000))
            if (row.GetString("Register") is not null) count++;
        return count;
    }
}
