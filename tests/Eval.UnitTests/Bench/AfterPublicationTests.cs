using Eval.Bench;

namespace Eval.UnitTests.Bench;

/// <summary>
/// Workload F, after publication: it runs on B's published campaign, so asking for it runs B too; the report judges the
/// signed list's time, the public page's p95, the register's pages, a revocation's time to the public page and the
/// list's versions, and says what missed by how much.
/// </summary>
public sealed class AfterPublicationTests
{
    [Fact]
    public void Asking_for_f_or_g_runs_b_too_and_a_full_run_holds_them()
    {
        BenchOptions f = Parse("--workloads", "f");
        Assert.Equal("bf", string.Concat(f.Workloads.Order()));
        Assert.False(f.IsFull);
        Assert.Equal("bg", string.Concat(Parse("--workloads", "g").Workloads.Order()));
        Assert.Contains("a, b, c, d, e, f, g", Assert.Throws<ArgumentException>(() => Parse("--workloads", "h")).Message,
            StringComparison.Ordinal);
    }

    [Fact]
    public void A_run_within_every_goal_meets_them_all()
    {
        BenchReport report = Report(Record());
        Assert.All(report.Targets.Where(t => t.Name is WorkloadFRecord.SigningTarget or WorkloadFRecord.PublicTarget
            or WorkloadFRecord.RegisterTarget or WorkloadFRecord.ShownTarget or WorkloadFRecord.SignedOnceTarget), t => Assert.True(t.Met));
        Target signing = Single(report, WorkloadFRecord.SigningTarget);
        Assert.Equal("4.2 s to version 1 answered (signed 3.1 s after publication; 1240 KiB; 3,810 ratings = the published " +
            "list's 3,810)", signing.Measured);
        Assert.Null(Single(report, WorkloadFRecord.HistoryTarget).Met);

        string md = report.ToMarkdown();
        Assert.Contains("After publication (workload F), on `bench-2026` (3,770 titles of 3,810 branches)", md, StringComparison.Ordinal);
        Assert.Contains("| `GET /api/public/honours/{cid}/{branchId}` | 2,000 | 12 | 31 | 60 | 90 |", md, StringComparison.Ordinal);
    }

    [Fact]
    public void A_list_signed_late_or_with_the_wrong_ratings_misses_and_says_why()
    {
        WorkloadFRecord late = Record() with
        {
            Signing = Record().Signing with { PublishedToSignedSeconds = 41.5, SignedRatings = 3809, RatingsAsPublished = 3809 },
        };
        Assert.Equal("missed: over by 11.5 s; 3,809 ratings signed (3,809 as published), 3,810 published",
            Single(Report(late), WorkloadFRecord.SigningTarget).Verdict);
        // A first answer of 200 says only that the list was signed by then.
        Assert.StartsWith("at most 4.2 s", Single(Report(Record() with { Signing = Record().Signing with { Conflicts = 0 } }),
            WorkloadFRecord.SigningTarget).Measured, StringComparison.Ordinal);
    }

    [Fact]
    public void Revocations_miss_when_shown_late_and_the_versions_say_when_a_change_signed_twice_or_not_at_all()
    {
        WorkloadFRecord slow = Record() with
        {
            Changes = Record().Changes with
            {
                Shown = 48, ShownMs = new Latency(48, 4000, 12500, 13000, 14000, 5000), FinalVersionHeader = 8, FinalVersionPayload = 8,
                ExpectedVersion = 9, StatementsStored = 9, SignedTogether = false,
            },
        };
        BenchReport report = Report(slow);
        Assert.Equal("missed: 2 of 50 never shown; over by 2.5 s", Single(report, WorkloadFRecord.ShownTarget).Verdict);
        Assert.Equal("missed: the newest version is 8 (payload 8), not the 9 stored; 9 statements stored, not one at publication and " +
            "at most one per change", Single(report, WorkloadFRecord.SignedOnceTarget).Verdict);
        Assert.Contains("one alone before them: 1.2 s", Single(report, WorkloadFRecord.ShownTarget).Measured, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_f_its_targets_are_not_measured_and_a_small_run_says_its_size()
    {
        BenchReport without = Report(null);
        Assert.All(without.Targets.Where(t => t.Name == WorkloadFRecord.PublicTarget), t => Assert.Equal("needs workload F", t.Verdict));
        Target small = Single(Report(Record() with { Branches = 300 }), WorkloadFRecord.PublicTarget);
        Assert.EndsWith("; at 300 branches, not 3,810)", small.Measured, StringComparison.Ordinal);
    }

    static WorkloadFRecord Record() => new("bench-2026", 3810, 3770, 32, 120,
        new SigningRecord(4.2, 3.5, 3.1, Conflicts: 30, Polls: 31, JwsBytes: 1240 * 1024, "kid", SignatureValid: true, Version: 1, 3810,
            3810, 3810),
        2000, 4.0, 500, 50, 76, 3770, 6.1,
        new ChangesRecord(50, 1.2, 30, 50, new Latency(50, 1500, 3000, 3500, 3600, 1700), 50,
            new Latency(50, 9000, 20000, 21000, 21000, 10000), 7, 7, 7, 7, true, 51, 51, 6)
        {
            AllChanges = 51, Alone = new ChangeAlone(1200, 2500),
        },
        new()
        {
            [AfterPublication.PublicJson] = new Latency(2000, 12, 31, 60, 90, 15),
            [AfterPublication.PublicOneClient] = new Latency(200, 2, 5, 8, 10, 3),
            [AfterPublication.RegisterPage] = new Latency(76, 40, 120, 150, 160, 50),
            [AfterPublication.History] = new Latency(500, 10, 30, 40, 50, 12),
        },
        0, [], 0, new() { ["signing"] = new PhaseCount(10, [], []) }, "closed loop");

    static BenchReport Report(WorkloadFRecord? f) => new()
    {
        Command = "./eval bench --workloads b,f",
        StartedAt = DateTimeOffset.UnixEpoch,
        Machine = new Machine("cpu", 2, 23.5, "os", "kernel", ".NET", "3.37.0", "in memory", "0 0 0"),
        Options = new { },
        Proxy = "proxy",
        WorkloadF = f,
    };

    static Target Single(BenchReport report, string name) => Assert.Single(report.Targets, t => t.Name == name);

    static BenchOptions Parse(params string[] extra) =>
        BenchOptions.Parse(["--blob-port", "1", "--queue-port", "2", "--table-port", "3",
            "--host-dll", typeof(AfterPublicationTests).Assembly.Location, .. extra]);
}
