using Eval.Bench;

namespace Eval.UnitTests.Bench;

/// <summary>
/// Workload D, the open loop, in its pure parts: the schedule fixed before the first send, the summary of an endpoint's
/// answers (percentiles, errors, the 409s expected of ratings before the notice), the latency goal the report judges on
/// it, and its options (`--rate`, `--pollers`, workload d).
/// </summary>
public sealed class OpenLoopTests
{
    [Fact]
    public void The_city_at_twenty_a_second_is_sent_every_fifty_ms_for_a_little_over_three_minutes()
    {
        TimeSpan[] arrivals = OpenLoopSchedule.Arrivals(3810, 20);

        Assert.Equal(3810, arrivals.Length);
        Assert.Equal(TimeSpan.Zero, arrivals[0]);
        Assert.All(arrivals.Skip(1).Zip(arrivals), pair => Assert.Equal(50, (pair.First - pair.Second).TotalMilliseconds, precision: 6));
        Assert.Equal(TimeSpan.FromSeconds(190.45), arrivals[^1]);
        Assert.Equal(TimeSpan.FromSeconds(190.5), OpenLoopSchedule.Length(3810, 20));
    }

    [Fact]
    public void Each_send_time_comes_from_its_index_so_a_rate_that_is_no_whole_number_of_ticks_does_not_drift()
    {
        // A third of a second is 3,333,333.3 ticks: adding up intervals would put the 3,000th send 0.1 ms early.
        TimeSpan[] arrivals = OpenLoopSchedule.Arrivals(3001, 3);
        Assert.Equal(TimeSpan.FromSeconds(1000), arrivals[3000]);
    }

    [Fact]
    public void Pollers_poll_once_a_second_within_the_schedule_staggered_over_the_second()
    {
        TimeSpan second = TimeSpan.FromSeconds(1), length = OpenLoopSchedule.Length(300, 20);

        TimeSpan[] third = OpenLoopSchedule.Polls(3, 10, second, length);
        Assert.Equal(15, third.Length);
        Assert.Equal(TimeSpan.FromMilliseconds(300), third[0]);
        Assert.Equal(TimeSpan.FromMilliseconds(14_300), third[^1]);

        TimeSpan[] all = [.. Enumerable.Range(0, 10).SelectMany(p => OpenLoopSchedule.Polls(p, 10, second, length)).Order()];
        Assert.Equal(150, all.Length);
        Assert.All(all.Skip(1).Zip(all), pair => Assert.Equal(TimeSpan.FromMilliseconds(100), pair.First - pair.Second));
        Assert.Empty(OpenLoopSchedule.Polls(3, 10, second, TimeSpan.FromMilliseconds(300)));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(10)]
    public void A_poller_outside_the_pollers_is_refused(int poller) =>
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            OpenLoopSchedule.Polls(poller, 10, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5)));

    [Fact]
    public void The_achieved_rate_counts_the_intervals_between_the_first_and_the_last()
    {
        Assert.Equal(20, OpenLoopSchedule.Rate(300, TimeSpan.Zero, TimeSpan.FromSeconds(14.95))!.Value, precision: 9);
        Assert.Null(OpenLoopSchedule.Rate(1, TimeSpan.Zero, TimeSpan.Zero));
    }

    [Fact]
    public void The_timeline_puts_each_request_in_the_window_of_its_scheduled_time()
    {
        // The second request is answered 12 s after its time: it still counts in the window it was due in.
        (TimeSpan, double)[] requests =
            [(TimeSpan.FromSeconds(0.5), 20), (TimeSpan.FromSeconds(9.99), 12_000), (TimeSpan.FromSeconds(10), 30)];

        List<OpenLoopWindow> windows = OpenLoopSchedule.Windows(requests, TimeSpan.FromSeconds(10));

        Assert.Equal([new OpenLoopWindow(0, 2, 20, 12_000, 12_000), new OpenLoopWindow(10, 1, 30, 30, 30)], windows);
    }

    [Fact]
    public void An_endpoint_is_summed_up_by_nearest_rank_percentiles_over_every_request_failures_included()
    {
        // 1..100 ms, all accepted but three: a 500, one with no answer (at the time it failed) and an unexpected 409.
        var answers = Enumerable.Range(1, 100)
            .Select(ms => ((double)ms, (int?)(ms switch { 98 => 500, 99 => null, 100 => 409, _ => 202 }))).ToList();

        OpenLoopEndpoint e = OpenLoopEndpoint.Of(answers, conflictExpected: false);

        Assert.Equal((100, 50.0, 90.0, 99.0, 100.0, 50.5), (e.Requests, e.P50, e.P90, e.P99, e.Max, e.Mean));
        Assert.Equal(3, e.Errors);
        Assert.Equal(0, e.ExpectedConflicts);
        Assert.Equal(new Dictionary<string, int> { ["202"] = 97, ["409"] = 1, ["500"] = 1, [OpenLoopEndpoint.NoAnswer] = 1 }, e.Statuses);
    }

    [Fact]
    public void Ratings_before_the_notice_count_their_409s_apart_and_a_304_is_an_answer()
    {
        OpenLoopEndpoint e = OpenLoopEndpoint.Of([(12, 409), (15, 409), (9, 304), (40, 503)], conflictExpected: true);

        Assert.Equal(2, e.ExpectedConflicts);
        Assert.Equal(1, e.Errors);
    }

    [Fact]
    public void No_answers_make_an_empty_summary() => Assert.Equal(0, OpenLoopEndpoint.Of([], conflictExpected: false).Requests);

    [Fact]
    public void A_p99_under_100_ms_at_twenty_a_second_with_every_submission_accepted_meets_the_goal()
    {
        Target t = BenchReport.OpenLoopTarget(WorkloadD(p99: 99.9));

        Assert.True(t.Met);
        Assert.Equal("Self-assessment p99, open loop at 20/s", t.Name);
        Assert.Equal("< 100 ms at 20/s", t.Goal);
        Assert.Equal("99.9 ms (p50 31, p90 62, max 240; sent at 20.0/s, accepted at 19.9/s)", t.Measured);
    }

    [Fact]
    public void A_p99_of_100_ms_misses_the_goal_by_its_excess()
    {
        Target t = BenchReport.OpenLoopTarget(WorkloadD(p99: 130));
        Assert.False(t.Met);
        Assert.Equal("missed: over by 30 ms (30% over)", t.Verdict);
        Assert.False(BenchReport.OpenLoopTarget(WorkloadD(p99: 100)).Met);
    }

    [Fact]
    public void Submissions_that_were_not_accepted_miss_the_goal_whatever_the_p99()
    {
        var statuses = new Dictionary<string, int> { ["202"] = 3808, ["500"] = 1, [OpenLoopEndpoint.NoAnswer] = 1 };
        Target t = BenchReport.OpenLoopTarget(WorkloadD(p99: 40, statuses));
        Assert.False(t.Met);
        Assert.Equal("missed: 2 of 3,810 submissions not accepted (1 × 500, 1 × no answer)", t.Verdict);
    }

    [Fact]
    public void A_run_at_another_rate_is_reported_but_not_judged()
    {
        Target t = BenchReport.OpenLoopTarget(WorkloadD(p99: 40) with { RatePerSecond = 10 });
        Assert.Null(t.Met);
        Assert.Equal("Self-assessment p99, open loop at 10/s", t.Name);
        Assert.Equal("not judged: the goal is at 20/s, this run sent 10/s", t.Verdict);
    }

    [Fact]
    public void A_short_run_says_how_many_submissions_it_made()
    {
        Target t = BenchReport.OpenLoopTarget(WorkloadD(p99: 40) with { Submissions = 300 });
        Assert.EndsWith("; 300 submissions, not 3,810)", t.Measured);
    }

    [Fact]
    public void The_report_lists_the_open_loop_per_endpoint_and_which_published_list_was_read()
    {
        var report = new BenchReport
        {
            Command = "./eval bench --workloads d",
            StartedAt = DateTimeOffset.UnixEpoch,
            Machine = new Machine("cpu", 2, 23.5, "os", "kernel", ".NET", "3.37.0", "in memory", "0 0 0"),
            Options = new { },
            Proxy = "proxy",
            WorkloadD = WorkloadD(p99: 85),
        };

        string md = report.ToMarkdown();

        Assert.Contains("| Self-assessment p99, open loop at 20/s | < 100 ms at 20/s | 85 ms", md);
        Assert.Contains("| `POST …/self-assessment` | 3,810 | 31 | 62 | 85 | 240 | 0 | — |", md);
        Assert.Contains("| `GET …/ratings (before the notice: 409)` | 1,900 | 20 | 30 | 40 | 50 | 0 | 1,900 |", md);
        Assert.Contains("the published list of `bench-2026` (3,810 rows: workload B's campaign, published earlier in this run)", md);
        Assert.Contains("(p50 / p99 ms): 0 s 30 / 70, 10 s 35 / 85.", md);
        Assert.Contains("azurite table p50 2, p99 9, max 640, 1 stalls (12.3 s: 640).", md);
        Assert.Contains("| Self-assessment p99 at 32 closed-loop clients | none: a capacity figure | not measured |", md);
    }

    [Fact]
    public void The_open_loop_runs_by_default_at_twenty_a_second_with_ten_pollers_and_a_full_run_includes_it()
    {
        BenchOptions defaults = Parse();
        Assert.Equal("abcdefg", string.Concat(defaults.Workloads.Order()));
        Assert.Equal(20, defaults.Rate);
        Assert.Equal(10, defaults.Pollers);
        Assert.True(defaults.IsFull);
        Assert.True(defaults.WriteDocs);

        BenchOptions withoutD = Parse("--workloads", "a,b,c");
        Assert.False(withoutD.IsFull);
        Assert.False(withoutD.WriteDocs);
    }

    [Fact]
    public void Rate_and_pollers_are_options()
    {
        BenchOptions o = Parse("--workloads", "d", "--rate", "12.5", "--pollers", "0");
        Assert.Equal("d", string.Concat(o.Workloads));
        Assert.Equal(12.5, o.Rate);
        Assert.Equal(0, o.Pollers);
    }

    [Fact]
    public void Rate_and_pollers_have_environment_twins_that_arguments_override()
    {
        try
        {
            Environment.SetEnvironmentVariable("EVAL_BENCH_RATE", "5");
            Environment.SetEnvironmentVariable("EVAL_BENCH_POLLERS", "3");
            Assert.Equal((5.0, 3), (Parse().Rate, Parse().Pollers));
            Assert.Equal((7.0, 4), (Parse("--rate", "7", "--pollers", "4").Rate, Parse("--rate", "7", "--pollers", "4").Pollers));
        }
        finally
        {
            Environment.SetEnvironmentVariable("EVAL_BENCH_RATE", null);
            Environment.SetEnvironmentVariable("EVAL_BENCH_POLLERS", null);
        }
    }

    [Theory]
    [InlineData("--rate", "0", "--rate takes requests per second")]
    [InlineData("--rate", "-2", "--rate takes requests per second")]
    [InlineData("--rate", "fast", "--rate takes requests per second")]
    [InlineData("--rate", "1001", "--rate takes requests per second")]
    [InlineData("--pollers", "-1", "--pollers must be 0..1000")]
    [InlineData("--pollers", "ten", "--pollers must be a whole number")]
    [InlineData("--workloads", "b,h", "--workloads takes a comma list of a, b, c, d, e, f, g")]
    public void Bad_open_loop_options_are_refused(string option, string value, string message) =>
        Assert.Contains(message, Assert.Throws<ArgumentException>(() => Parse(option, value)).Message);

    // Workload D needs the host's build; any file stands in for it here.
    static BenchOptions Parse(params string[] extra) =>
        BenchOptions.Parse(["--blob-port", "1", "--queue-port", "2", "--table-port", "3",
            "--host-dll", typeof(OpenLoopTests).Assembly.Location, .. extra]);

    static WorkloadDRecord WorkloadD(double p99, Dictionary<string, int>? statuses = null)
    {
        statuses ??= new() { ["202"] = 3810 };
        int errors = statuses.Where(s => s.Key != "202").Sum(s => s.Value);
        var none = new PhaseCount(0, [], []);
        var published = new PublishedList("bench-2026", 3810, "workload B's campaign, published earlier in this run");
        return new WorkloadDRecord(3810, 20, 10, 1, OpenLoop.CampaignId, published,
            190.5, 191, 3810 - errors, 20.0, 19.9,
            new()
            {
                [Endpoints.SelfAssessment] = new OpenLoopEndpoint(3810, 31, 62, p99, 240, 40, errors, 0, statuses),
                [Endpoints.RatingsBeforeNotice] = new OpenLoopEndpoint(1900, 20, 30, 40, 50, 22, 0, 1900, new() { ["409"] = 1900 }),
            },
            [new OpenLoopWindow(0, 200, 30, 70, 90), new OpenLoopWindow(10, 200, 35, 85, 240)],
            new Latency(7620, 0.2, 0.9, 1.5, 4, 0.3), 12, 64, 1.5, none, 30, [], 400, "host.log",
            new() { ["azurite table"] = new ProbeResult(new Latency(1900, 2, 5, 9, 640, 3), [[12.3, 640]]) }, "open loop");
    }
}
