using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Eval.Workflows.Domain;

namespace Eval.Bench;

/// <summary>One role's reads of the inbox: how many, how many failed, the latencies (ms), and the items a read saw.</summary>
public sealed record InboxRoleReads(string Role, int Reads, int Errors, Latency Latency, double MeanItems);

/// <summary>The inbox read by a sample of every role during a city campaign (goal: p99 under <see cref="InboxReads.GoalP99Ms"/>).</summary>
public sealed record InboxReadsRecord(int Reads, int Clients, int Errors, Latency Latency, List<InboxRoleReads> ByRole, bool MetGoal);

/// <summary>
/// GET /api/inbox during a running city campaign whose evaluations wait (for workload B's campaign: 3,810 branches), read
/// by a sample of the people it serves, <c>clients</c> at a time: branch secretaries, township reviewers, county scorers
/// (each as its county's scorer, as workload B scores) and the city's organization department, which reads the city's and
/// its counties' partitions. Each read asks for the campaign's items, a page of 50, as a client opening its inbox would.
/// </summary>
public sealed class InboxReads(Uri baseAddress, int clients, Action<string> log)
{
    /// <summary>Reads per role; four roles.</summary>
    public const int ReadsPerRole = 100;
    public const double GoalP99Ms = 100;
    const int Seed = 25;

    readonly HttpClient http = new(new SocketsHttpHandler { PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5), UseProxy = false })
    {
        BaseAddress = baseAddress,
        Timeout = TimeSpan.FromSeconds(60),
    };

    /// <summary>
    /// Reads the inbox of campaign <paramref name="campaignId"/> over the city's first <paramref name="branches"/> branches
    /// (the units workload B loaded: <see cref="ProductCampaign.Units"/>).
    /// </summary>
    public async Task<InboxReadsRecord> RunAsync(string campaignId, int branches)
    {
        List<Unit> units = ProductCampaign.Units(branches);
        string[] branchIds = [.. units.Where(u => u.Kind == UnitKinds.Branch).Select(u => u.Id)];
        string[] townships = [.. units.Where(u => u.Kind == UnitKinds.Township).Select(u => u.Id)];
        string[] counties = [.. units.Where(u => u.Kind == UnitKinds.County).Select(u => u.Id)];
        var random = new Random(Seed);
        // Tokens are made before the clock starts: signing is client work, not the product's.
        var reads = new List<(string Role, AuthenticationHeaderValue Token)>();
        for (int i = 0; i < ReadsPerRole; i++)
        {
            string branch = branchIds[random.Next(branchIds.Length)], township = townships[random.Next(townships.Length)];
            string county = counties[random.Next(counties.Length)];
            reads.Add((Roles.BranchSecretary, ProductCampaign.Token(Roles.BranchSecretary, branch, null)));
            reads.Add((Roles.TownshipReviewer, ProductCampaign.Token(Roles.TownshipReviewer, township, null)));
            reads.Add((Roles.CountyScorer, ProductCampaign.Token(Roles.CountyScorer, county, "scorer@" + county)));
            reads.Add((Roles.OrgDepartment, ProductCampaign.Token(Roles.OrgDepartment, ProductCampaign.City, "bench-org")));
        }
        // One read of each role first, outside the figures: the host compiles the route and each role's way through it
        // (the org department's merge of its counties' partitions, say), and warms its connections.
        foreach (var (_, token) in reads.Take(4)) await ReadAsync(campaignId, token);

        var answers = new ConcurrentBag<(string Role, double Ms, bool Ok, int Items)>();
        var wall = Stopwatch.StartNew();
        await Parallel.ForEachAsync(reads.OrderBy(_ => random.Next()).ToList(), new ParallelOptions { MaxDegreeOfParallelism = clients },
            async (read, _) =>
            {
                var (ms, ok, items) = await ReadAsync(campaignId, read.Token);
                answers.Add((read.Role, ms, ok, items));
            });
        double[] all = [.. answers.Select(a => a.Ms)];
        var byRole = answers.GroupBy(a => a.Role)
            .Select(g => new InboxRoleReads(g.Key, g.Count(), g.Count(a => !a.Ok), Latency.Of([.. g.Select(a => a.Ms)]),
                Math.Round(g.Average(a => a.Items), 1)))
            .OrderBy(r => Roles.Working.ToList().IndexOf(r.Role)).ToList();
        Latency latency = Latency.Of(all);
        int errors = answers.Count(a => !a.Ok);
        log($"Inbox: {all.Length} reads in {wall.Elapsed.TotalSeconds:0.0} s, {clients} at a time: p50 {latency.P50} ms, p95 " +
            $"{latency.P95} ms, p99 {latency.P99} ms (goal < {GoalP99Ms} ms), {errors} errors; " +
            string.Join("; ", byRole.Select(r => $"{r.Role} p99 {r.Latency.P99} ms, {r.MeanItems} items")));
        return new InboxReadsRecord(all.Length, clients, errors, latency, byRole, errors == 0 && latency.P99 < GoalP99Ms);
    }

    async Task<(double Ms, bool Ok, int Items)> ReadAsync(string campaignId, AuthenticationHeaderValue token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"api/inbox?campaign={campaignId}&pageSize=50");
        request.Headers.Authorization = token;
        var watch = Stopwatch.StartNew();
        try
        {
            using HttpResponseMessage response = await http.SendAsync(request);
            byte[] body = await response.Content.ReadAsByteArrayAsync();
            double ms = watch.Elapsed.TotalMilliseconds;
            if (response.StatusCode != HttpStatusCode.OK) return (ms, false, 0);
            using JsonDocument page = JsonDocument.Parse(body);
            return (ms, true, page.RootElement.GetProperty("items").GetArrayLength());
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
        {
            return (watch.Elapsed.TotalMilliseconds, false, 0);
        }
    }
}
