using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Eval.Workflows.Domain;

namespace Eval.Bench;

/// <summary>
/// Workload D, the open loop: a started campaign's self-assessments sent at a fixed rate, each at its time on a schedule
/// made in advance (<see cref="OpenLoopSchedule"/>) whatever the earlier ones are doing, while pollers each read the
/// campaign, its ratings (409 before the notice) and a published list once a second, on their own schedules.
/// Latency runs from a request's scheduled time, so a request the client sent late is charged its delay, as a user
/// would feel it (no coordinated omission). Nothing is retried: an open loop reports a failure as it came.
/// </summary>
public sealed class OpenLoop : IDisposable
{
    public const string CampaignId = "bench-open-2026";
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);
    /// <summary>Connections opened before the clock starts; more are opened whenever every one is busy (no limit).</summary>
    const int WarmConnections = 64;

    readonly HttpClient http;
    readonly Action<string> log;
    readonly ConcurrentDictionary<string, ConcurrentQueue<Answer>> answers = new();
    readonly ConcurrentDictionary<string, EntityTagHeaderValue> etags = new();
    int connections, inFlight, maxInFlight, failuresLogged;

    public OpenLoop(Uri baseAddress, Action<string> log)
    {
        this.log = log;
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            MaxConnectionsPerServer = int.MaxValue,
            // Counts the connections the pool opens, to show that the client never queued a request for want of one.
            ConnectCallback = async (context, cancel) =>
            {
                Interlocked.Increment(ref connections);
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    await socket.ConnectAsync(context.DnsEndPoint, cancel);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        http = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
    }

    /// <summary>
    /// One request: latency and send lag from its scheduled time, its status (null: no answer), and when it was scheduled,
    /// sent and answered (from the start of the schedule).
    /// </summary>
    readonly record struct Answer(double LatencyMs, double LagMs, int? Status, TimeSpan Scheduled, TimeSpan SentAt, TimeSpan AnsweredAt);

    /// <summary>The stretch of schedule each line of the submissions' timeline covers.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Runs the schedule: a self-assessment for each of <paramref name="branches"/> (in <see cref="CampaignId"/>, started
    /// and taking actions) at <paramref name="perSecond"/>, and <paramref name="pollers"/> pollers over the same stretch
    /// reading this campaign and <paramref name="publishedCampaign"/>'s ratings with an org-department token of the city.
    /// </summary>
    public async Task<OpenLoopResult> RunAsync(IReadOnlyList<string> branches, double perSecond, int pollers, string publishedCampaign,
        Action<string> onPhase)
    {
        // Everything the requests carry is made before the clock starts: signing and serializing are client work.
        var secretaries = branches.Select(b => ProductCampaign.Token(Roles.BranchSecretary, b, null)).ToArray();
        var bodies = branches.Select((_, i) => JsonSerializer.Serialize(BranchSteps.SelfAssessment(i), JsonSerializerOptions.Web))
            .ToArray();
        var pollerTokens = Enumerable.Range(0, pollers)
            .Select(p => ProductCampaign.Token(Roles.OrgDepartment, ProductCampaign.City, $"bench-poller-{p}")).ToArray();
        string campaign = $"api/campaigns/{CampaignId}";
        await WarmAsync();

        TimeSpan[] arrivals = OpenLoopSchedule.Arrivals(branches.Count, perSecond);
        TimeSpan length = OpenLoopSchedule.Length(branches.Count, perSecond);
        log($"D: {branches.Count} self-assessments at {perSecond:0.##}/s over {length.TotalSeconds:F1} s, {pollers} pollers every " +
            $"{PollInterval.TotalSeconds:0.#} s (campaign, its ratings, and the published ratings of {publishedCampaign}); " +
            $"{connections} connections open");
        onPhase("open loop");
        var started = new ConcurrentQueue<Task>();
        long origin = Stopwatch.GetTimestamp();
        int progressEvery = Math.Max(1, (int)Math.Round(perSecond * 30));

        Task submissions = FollowAsync(origin, arrivals, (i, due) =>
        {
            if (i > 0 && i % progressEvery == 0) log($"D: {i} of {branches.Count} sent, {Volatile.Read(ref inFlight)} in flight");
            return SendAsync(Endpoints.SelfAssessment, HttpMethod.Post, $"{campaign}/evaluations/{branches[i]}/self-assessment",
                secretaries[i], bodies[i], $"open-submit-{branches[i]}", origin, due, etagSlot: null);
        }, started);
        Task[] polling = [.. Enumerable.Range(0, pollers).Select(p =>
            FollowAsync(origin, OpenLoopSchedule.Polls(p, pollers, PollInterval, length), (_, due) => PollAsync(p, due), started))];
        await Task.WhenAll([submissions, .. polling]);
        await Task.WhenAll(started);
        double wall = Stopwatch.GetElapsedTime(origin).TotalSeconds;
        onPhase("after");

        // One poll: the three reads a user's page makes, sent together.
        Task PollAsync(int p, long due)
        {
            Task Read(string endpoint, string path, string slot) =>
                SendAsync(endpoint, HttpMethod.Get, path, pollerTokens[p], null, null, origin, due, $"{p} {slot}");
            return Task.WhenAll(Read(Endpoints.Campaign, campaign, "campaign"),
                Read(Endpoints.RatingsBeforeNotice, $"{campaign}/ratings", "ratings"),
                Read(Endpoints.RatingsPublished, $"api/campaigns/{publishedCampaign}/ratings", "published"));
        }

        var byEndpoint = answers.ToDictionary(a => a.Key, a => OpenLoopEndpoint.Of([.. a.Value.Select(x => (x.LatencyMs, x.Status))],
            conflictExpected: a.Key == Endpoints.RatingsBeforeNotice));
        Answer[] sent = answers.TryGetValue(Endpoints.SelfAssessment, out var submitted) ? [.. submitted] : [];
        TimeSpan[] sentAt = [.. sent.Select(a => a.SentAt).Order()];
        TimeSpan[] acceptedAt = [.. sent.Where(a => a.Status == 202).Select(a => a.AnsweredAt).Order()];
        double[] lags = [.. answers.Values.SelectMany(q => q).Select(a => a.LagMs)];
        return new OpenLoopResult(branches.Count, acceptedAt.Length, length.TotalSeconds,
            sentAt.Length > 0 ? OpenLoopSchedule.Rate(sentAt.Length, sentAt[0], sentAt[^1]) : null,
            acceptedAt.Length > 0 ? OpenLoopSchedule.Rate(acceptedAt.Length, acceptedAt[0], acceptedAt[^1]) : null,
            byEndpoint, OpenLoopSchedule.Windows(sent.Select(a => (a.Scheduled, a.LatencyMs)), Window),
            lags.Length > 0 ? Latency.Of(lags) : null, maxInFlight, connections, wall);
    }

    /// <summary>
    /// Starts each send at its time and goes on to the next without waiting for it (the sends are collected in
    /// <paramref name="started"/>). A send starts on the thread pool, so building a request never delays the next one.
    /// </summary>
    static async Task FollowAsync(long origin, TimeSpan[] offsets, Func<int, long, Task> send, ConcurrentQueue<Task> started)
    {
        for (int i = 0; i < offsets.Length; i++)
        {
            long due = origin + (long)(offsets[i].TotalSeconds * Stopwatch.Frequency);
            TimeSpan wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
            if (wait > TimeSpan.Zero) await Task.Delay(wait);
            int index = i;
            started.Enqueue(Task.Run(() => send(index, due)));
        }
    }

    async Task SendAsync(string endpoint, HttpMethod method, string path, AuthenticationHeaderValue token, string? json,
        string? idempotencyKey, long origin, long due, string? etagSlot)
    {
        long sent = Stopwatch.GetTimestamp();
        int now = Interlocked.Increment(ref inFlight);
        for (int max = Volatile.Read(ref maxInFlight); now > max; max = Volatile.Read(ref maxInFlight))
            if (Interlocked.CompareExchange(ref maxInFlight, now, max) == max) break;
        int? status = null;
        try
        {
            using var request = new HttpRequestMessage(method, path);
            request.Headers.Authorization = token;
            if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
            if (json is not null) request.Content = new StringContent(json, Encoding.UTF8, "application/json");
            // A poller revalidates what it read before, as a browser would, so a 304 shows the cost of an unchanged read.
            if (etagSlot is not null && etags.TryGetValue(etagSlot, out EntityTagHeaderValue? etag)) request.Headers.IfNoneMatch.Add(etag);
            using HttpResponseMessage response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            await response.Content.CopyToAsync(Stream.Null);
            status = (int)response.StatusCode;
            if (etagSlot is not null && response.Headers.ETag is { } received) etags[etagSlot] = received;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
        {
            if (Interlocked.Increment(ref failuresLogged) <= 10) log($"D: {method} {path} got no answer ({e.GetType().Name}: {e.Message})");
        }
        finally
        {
            Interlocked.Decrement(ref inFlight);
        }
        long answered = Stopwatch.GetTimestamp();
        answers.GetOrAdd(endpoint, _ => new()).Enqueue(new Answer(Stopwatch.GetElapsedTime(due, answered).TotalMilliseconds,
            Stopwatch.GetElapsedTime(due, sent).TotalMilliseconds, status, Stopwatch.GetElapsedTime(origin, due),
            Stopwatch.GetElapsedTime(origin, sent), Stopwatch.GetElapsedTime(origin, answered)));
    }

    /// <summary>Opens connections before the clock starts, so the first requests do not pay for them.</summary>
    async Task WarmAsync() =>
        await Task.WhenAll(Enumerable.Range(0, WarmConnections).Select(async _ =>
        {
            using HttpResponseMessage r = await http.GetAsync("api/schemas/campaign");
            r.EnsureSuccessStatusCode();
        }));

    public void Dispose() => http.Dispose();
}

/// <summary>
/// The open loop's outcome: submissions scheduled and accepted (202), the schedule's length, the rates achieved (sent,
/// and accepted as the answers came), latency per endpoint and of the submissions window by window, how late the client
/// sent (from the scheduled time, every request), the most requests in flight at once and the connections it opened.
/// </summary>
public sealed record OpenLoopResult(int Submissions, int Accepted, double ScheduleSeconds, double? SentPerSecond, double? AcceptedPerSecond,
    Dictionary<string, OpenLoopEndpoint> Endpoints, List<OpenLoopWindow> SubmissionWindows, Latency? SendLagMs, int MaxInFlight,
    int Connections, double WallSeconds);
