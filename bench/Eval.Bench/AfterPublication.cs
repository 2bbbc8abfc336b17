using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using Eval.Workflows.Domain;

namespace Eval.Bench;

/// <summary>
/// Workload F, after publication, on workload B's published campaign while B's host is up: the signed list (from the
/// publication to <c>ratings.jws</c> answering version 1, checked here with ECDsa against <c>GET /api/keys</c>), the
/// public page of a title read by <c>clients</c> at a time, the honours register walked page by page and branches'
/// histories read, and in-year revocations proposed and approved together, each timed from its decision's 202 to the
/// public page showing it revoked and to a signed list showing it so.
/// </summary>
public sealed class AfterPublication(Uri baseAddress, int clients, Action<string> log, Action<string> onPhase)
{
    public const int PublicJsonReads = 2000, PublicOneClientReads = 200, PublicHtmlReads = 200, QrPngReads = 200, QrSvgReads = 100,
        HistoryReads = 500;
    /// <summary>Revocations proposed and approved together (fewer when the campaign gave fewer titles).</summary>
    public const int Changes = 50;
    /// <summary>The register's page size as a client gets it without asking (the API's default).</summary>
    public const int RegisterPageSize = 50;
    /// <summary>How often the signed list is asked for after publication, and each changed title's page after its decision.</summary>
    public static readonly TimeSpan SigningPoll = TimeSpan.FromMilliseconds(100), ChangePoll = TimeSpan.FromMilliseconds(500);
    /// <summary>The phases, in order, as the proxy counts their Azurite requests ("F " + phase).</summary>
    public static readonly string[] Phases = ["signing", "public page", "register", "changes"];
    static readonly TimeSpan WaitLimit = TimeSpan.FromMinutes(10);
    const int Seed = 24;
    static readonly byte[] PngSignature = [0x89, (byte)'P', (byte)'N', (byte)'G'];

    public const string Keys = "GET /api/keys", SignedList = "GET …/ratings.jws", PublishedList = "GET …/ratings",
        PublicJson = "GET /api/public/honours/{cid}/{branchId}", PublicOneClient = "GET /api/public/honours/… (one client)",
        PublicHtml = "GET /api/public/honours/… (text/html)",
        QrPng = "GET …/qr.png", QrSvg = "GET …/qr.svg", RegisterFirst = "GET /api/honours (the first request, compiling)",
        RegisterPage = "GET /api/honours (a page)", RegisterRevoked = "GET /api/honours?status=revoked (a page)",
        History = "GET /api/units/{branchId}/honours", Propose = "POST …/honours/{branchId}/changes",
        Decide = "POST …/changes/{changeId}/decision", PublicPolled = "GET /api/public/honours/… (polled after a decision)",
        ProposeAlone = "POST …/honours/{branchId}/changes (alone)", DecideAlone = "POST …/changes/{changeId}/decision (alone)",
        PublicPolledAlone = "GET /api/public/honours/… (polled after the decision alone)";

    public static readonly string[] Order =
        [SignedList, Keys, PublishedList, PublicJson, PublicOneClient, PublicHtml, QrPng, QrSvg, RegisterFirst, RegisterPage, History,
            ProposeAlone, DecideAlone, PublicPolledAlone, Propose, Decide, PublicPolled, RegisterRevoked];

    readonly HttpClient http = new(new SocketsHttpHandler { PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5), UseProxy = false })
    {
        BaseAddress = baseAddress,
        Timeout = TimeSpan.FromSeconds(120),
    };
    readonly ConcurrentDictionary<string, ConcurrentBag<double>> latencies = new();
    readonly ConcurrentQueue<string> wrong = new();
    int errors;
    Task<SigningWatch>? signing;

    /// <summary>
    /// Starts asking for the signed list every <see cref="SigningPoll"/>: called the moment B's client sees the campaign
    /// published (the list is signed after it, and 409 until then).
    /// </summary>
    public void WatchSigning(string campaignId) => signing ??= Task.Run(() => WatchSigningAsync(campaignId));

    sealed record SigningWatch(DateTimeOffset StartedAt, DateTimeOffset? SignedAt, int Conflicts, int Polls, string? Jws, int? Version,
        string? Problem);

    async Task<SigningWatch> WatchSigningAsync(string campaignId)
    {
        DateTimeOffset started = DateTimeOffset.UtcNow;
        var until = DateTime.UtcNow + WaitLimit;
        int conflicts = 0, polls = 0;
        while (DateTime.UtcNow < until)
        {
            polls++;
            Answer a = await SendAsync(SignedList, HttpMethod.Get, $"api/campaigns/{campaignId}/ratings.jws", null, null, null);
            if (a.Status == HttpStatusCode.OK)
                return new SigningWatch(started, a.At, conflicts, polls, Encoding.ASCII.GetString(a.Body), a.StatementVersion, null);
            if (a.Status != HttpStatusCode.Conflict)
                return new SigningWatch(started, null, conflicts, polls, null, null, $"ratings.jws answered {(int)a.Status}: {a.Text}");
            conflicts++;
            await Task.Delay(SigningPoll);
        }
        return new SigningWatch(started, null, conflicts, polls, null, null, $"not signed within {WaitLimit.TotalMinutes:0} min");
    }

    /// <summary>Workload F over the published campaign <paramref name="campaignId"/> (over the city).</summary>
    public async Task<WorkloadFRecord> RunAsync(string campaignId, int branches, TableServiceClient tables)
    {
        WatchSigning(campaignId);
        var wall = Stopwatch.StartNew();
        string campaign = $"api/campaigns/{campaignId}";
        AuthenticationHeaderValue org = ProductCampaign.Token(Roles.OrgDepartment, ProductCampaign.City, "bench-org");

        // 1. The signed list: its time from the publication, its size, its signature, its ratings against the published list.
        onPhase("signing");
        SigningWatch watch = await signing!;
        Answer listAnswer = await SendAsync(PublishedList, HttpMethod.Get, $"{campaign}/ratings", null, null, null);
        using JsonDocument listJson = JsonDocument.Parse(listAnswer.Body);
        JsonElement list = listJson.RootElement;
        DateTimeOffset publishedAt = list.GetProperty("publishedAt").GetDateTimeOffset();
        var published = list.GetProperty("ratings").EnumerateArray()
            .Select(r => (Branch: r.GetProperty("branchId").GetString()!, Level: r.GetProperty("level").GetString()!))
            .ToList();
        var levels = published.ToDictionary(r => r.Branch, r => r.Level, StringComparer.Ordinal);
        List<string> titled = [.. published.Where(r => r.Level is not ("none" or "revoked")).Select(r => r.Branch)];
        Answer keysAnswer = await SendAsync(Keys, HttpMethod.Get, "api/keys", null, null, null);
        Dictionary<string, ECDsa> keys = ReadKeys(keysAnswer.Body);
        SigningRecord signed = Signing(watch, publishedAt, keys, levels);
        log($"F: the list signed {signed.PublishedToSignedSeconds?.ToString("0.0") ?? "—"} s after its publication " +
            $"({signed.Conflicts} answers 409 before; {signed.JwsBytes / 1024.0:0} KiB; signature " +
            $"{(signed.SignatureValid ? "valid" : "NOT valid")}; {signed.SignedRatings} ratings signed, " +
            $"{signed.PublishedRatings} published)");
        if (titled.Count == 0) throw new InvalidOperationException("Workload F: B's campaign gave no titles.");

        // 2. The public page of a title, as anyone reads it: JSON, then the page a phone opens, then the plaque's QR codes.
        onPhase("public page");
        var random = new Random(Seed);
        string[] sample = [.. Enumerable.Range(0, PublicJsonReads).Select(_ => titled[random.Next(titled.Count)])];
        var read = Stopwatch.StartNew();
        await ForEachAsync(sample, async b =>
        {
            Answer a = await SendAsync(PublicJson, HttpMethod.Get, $"api/public/honours/{campaignId}/{b}", null, null, null);
            CheckPublic(a, b, levels[b], "active", 1);
        });
        double jsonSeconds = read.Elapsed.TotalSeconds;
        // The same reads by one client, one after another: a single reader's wait, without the clients' own queue.
        foreach (string b in sample[..PublicOneClientReads])
            CheckPublic(await SendAsync(PublicOneClient, HttpMethod.Get, $"api/public/honours/{campaignId}/{b}", null, null, null), b,
                levels[b], "active", 1);
        await ForEachAsync(sample[..PublicHtmlReads], async b =>
        {
            Answer a = await SendAsync(PublicHtml, HttpMethod.Get, $"api/public/honours/{campaignId}/{b}", null, null, "text/html");
            Check(a.Status == HttpStatusCode.OK && a.ContentType.StartsWith("text/html", StringComparison.Ordinal)
                && a.Text.Contains(b, StringComparison.Ordinal), $"{b}: the page answered {(int)a.Status} {a.ContentType}");
        });
        await ForEachAsync(sample[..QrPngReads], async b =>
        {
            Answer a = await SendAsync(QrPng, HttpMethod.Get, $"api/public/honours/{campaignId}/{b}/qr.png", null, null, null);
            Check(a.Status == HttpStatusCode.OK && a.Body.AsSpan().StartsWith(PngSignature),
                $"{b}: qr.png answered {(int)a.Status} {a.ContentType}");
        });
        await ForEachAsync(sample[..QrSvgReads], async b =>
        {
            Answer a = await SendAsync(QrSvg, HttpMethod.Get, $"api/public/honours/{campaignId}/{b}/qr.svg", null, null, null);
            Check(a.Status == HttpStatusCode.OK && a.Text.Contains("<svg", StringComparison.Ordinal),
                $"{b}: qr.svg answered {(int)a.Status} {a.ContentType}");
        });
        log($"F: {PublicJsonReads:N0} public pages (JSON) in {jsonSeconds:F1} s = {PublicJsonReads / jsonSeconds:F0}/s, " +
            $"p95 {Latency.Of([.. latencies[PublicJson]]).P95:0} ms; then {PublicHtmlReads} pages, {QrPngReads} PNG and " +
            $"{QrSvgReads} SVG codes");

        // 3. The register, page by page as the organization department reads it, and branches' histories.
        onPhase("register");
        // The first request compiles the register's code: counted apart, so that a walk of a few pages is not judged on it.
        await SendAsync(RegisterFirst, HttpMethod.Get, $"api/honours?unit={ProductCampaign.City}&pageSize={RegisterPageSize}", org, null,
            null);
        RegisterWalk walk = await WalkRegisterAsync(RegisterPage, org, null);
        var registered = walk.Branches.ToHashSet(StringComparer.Ordinal);
        Check(walk.Branches.Count == titled.Count && registered.SetEquals(titled),
            $"the register walk found {walk.Branches.Count:N0} titles ({registered.Count:N0} branches), the list has {titled.Count:N0}");
        string[] histories = [.. Enumerable.Range(0, HistoryReads).Select(_ => titled[random.Next(titled.Count)])];
        await ForEachAsync(histories, async b =>
        {
            Answer a = await SendAsync(History, HttpMethod.Get, $"api/units/{b}/honours", org, null, null);
            using JsonDocument doc = JsonDocument.Parse(a.Status == HttpStatusCode.OK ? a.Body : "{}"u8.ToArray());
            bool found = a.Status == HttpStatusCode.OK && doc.RootElement.GetProperty("honours").EnumerateArray()
                .Any(h => h.GetProperty("campaignId").GetString() == campaignId && h.GetProperty("level").GetString() == levels[b]);
            Check(found, $"{b}: its history answered {(int)a.Status} without its title of {campaignId}");
        });
        log($"F: the register walked in {walk.Seconds:F1} s, {walk.Pages} pages of {RegisterPageSize}, {walk.Branches.Count:N0} titles " +
            $"(page p95 {Latency.Of(walk.PageMs).P95:0} ms); {HistoryReads} histories read");

        // 4. Revocations: proposed by the county scorers, approved without notice together; each watched on its public page.
        onPhase("changes");
        ChangesRecord changes = await ChangeAsync(campaignId, titled, random, org, tables);
        onPhase("after");

        return new WorkloadFRecord(campaignId, branches, titled.Count, clients, Math.Round(wall.Elapsed.TotalSeconds, 1), signed,
            PublicJsonReads, Math.Round(jsonSeconds, 2), Math.Round(PublicJsonReads / jsonSeconds, 1), RegisterPageSize, walk.Pages,
            walk.Branches.Count, Math.Round(walk.Seconds, 2), changes,
            latencies.ToDictionary(l => l.Key, l => Latency.Of([.. l.Value])), errors, [.. wrong.Take(20)], wrong.Count, [],
            "closed loop: each client sends its next request when the last is answered; " +
            $"the list polled every {SigningPoll.TotalMilliseconds:0} ms from when B's client saw the campaign published, " +
            $"each changed title's public page every {ChangePoll.TotalMilliseconds:0} ms from its decision's 202");
    }

    SigningRecord Signing(SigningWatch w, DateTimeOffset publishedAt, Dictionary<string, ECDsa> keys, Dictionary<string, string> levels)
    {
        if (w.Jws is not { } jws || w.SignedAt is not { } at)
        {
            Check(false, $"the list was not signed: {w.Problem}");
            return new SigningRecord(null, null, null, w.Conflicts, w.Polls, 0, null, false, null, 0, levels.Count, 0);
        }
        Statement? s = Verify(jws, keys, out string? problem);
        Check(s is not null, $"the signed list does not verify: {problem}");
        Check(w.Version == 1 && s?.Version == 1, $"the first signed list is version {w.Version} (header), {s?.Version} (payload)");
        int agree = s?.Ratings.Count(r => levels.GetValueOrDefault(r.Branch) == r.Level) ?? 0;
        Check(s is not null && s.Ratings.Count == levels.Count && agree == levels.Count,
            $"the signed list holds {s?.Ratings.Count} ratings, {agree} as published; the published list {levels.Count}");
        // The host and the bench share a clock: the server's publication time is comparable with the client's.
        return new SigningRecord(Math.Round((at - publishedAt).TotalSeconds, 2), Math.Round((at - w.StartedAt).TotalSeconds, 2),
            s is null ? null : Math.Round((s.IssuedAt - publishedAt).TotalSeconds, 2), w.Conflicts, w.Polls,
            Encoding.ASCII.GetByteCount(jws), s?.Kid, s is not null, w.Version, s?.Ratings.Count ?? 0, levels.Count, agree);
    }

    /// <summary>Walks the register of the city (one status, or all), a page at a time, to its end.</summary>
    async Task<RegisterWalk> WalkRegisterAsync(string endpoint, AuthenticationHeaderValue org, string? status)
    {
        var branches = new List<string>();
        var pageMs = new List<double>();
        string? token = null;
        var watch = Stopwatch.StartNew();
        do
        {
            string path = $"api/honours?unit={ProductCampaign.City}&pageSize={RegisterPageSize}" +
                (status is null ? "" : $"&status={status}") + (token is null ? "" : $"&continuationToken={Uri.EscapeDataString(token)}");
            long started = Stopwatch.GetTimestamp();
            Answer a = await SendAsync(endpoint, HttpMethod.Get, path, org, null, null);
            pageMs.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            if (a.Status != HttpStatusCode.OK) throw new InvalidOperationException($"GET {path} answered {(int)a.Status}: {a.Text}");
            using JsonDocument page = JsonDocument.Parse(a.Body);
            branches.AddRange(page.RootElement.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("branchId").GetString()!));
            token = page.RootElement.TryGetProperty("continuationToken", out JsonElement t) && t.ValueKind == JsonValueKind.String
                ? t.GetString() : null;
        }
        while (token is not null);
        return new RegisterWalk(pageMs.Count, branches, [.. pageMs], watch.Elapsed.TotalSeconds);
    }

    sealed record RegisterWalk(int Pages, List<string> Branches, double[] PageMs, double Seconds);

    /// <summary>
    /// One revocation alone (proposed, decided, watched until its own statement is stored), then <see cref="Changes"/>
    /// proposed and decided together; then the newest list, the statements as stored and the register are checked.
    /// </summary>
    async Task<ChangesRecord> ChangeAsync(string campaignId, List<string> titled, Random random, AuthenticationHeaderValue org,
        TableServiceClient tables)
    {
        string[] chosen = [.. titled.OrderBy(_ => random.Next()).Take(Changes + 1)];
        string[] alone = chosen[..1], burst = [.. chosen[1..].Order(StringComparer.Ordinal)];
        int n = burst.Length;
        var ids = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);

        // Alone first: what one change takes when nothing else is changing.
        await ProposeAsync(campaignId, alone, ids, ProposeAlone);
        Watched one = await DecideAndWatchAsync(campaignId, alone, ids, org, DecideAlone, PublicPolledAlone);
        log($"F: one revocation alone: shown {Ms(one.Shown.Values)}, in a signed list {Ms(one.SignedIn.Values.Select(s => s.Ms))} " +
            "after its decision");

        await ProposeAsync(campaignId, burst, ids, Propose);
        log($"F: {n} revocations proposed; deciding them together");
        Watched all = await DecideAndWatchAsync(campaignId, burst, ids, org, Decide, PublicPolled);
        log($"F: {n} decided in {all.DecideSeconds:F1} s; {all.Shown.Count} shown revoked and {all.SignedIn.Count} in a signed list " +
            $"{all.SettledSeconds:F1} s after the first decision");
        var statements = await StatementsAsync(tables, campaignId);
        log($"F: {statements.Count} statements stored for publication and {chosen.Length} changes, the newest version " +
            $"{statements.Select(r => r.Version).DefaultIfEmpty().Max()}");

        // The newest list, checked as a reader would; the statements as stored; the register's revoked titles.
        Answer last = await SendAsync(SignedList, HttpMethod.Get, $"api/campaigns/{campaignId}/ratings.jws", null, null, null);
        Dictionary<string, ECDsa> keys = ReadKeys((await SendAsync(Keys, HttpMethod.Get, "api/keys", null, null, null)).Body);
        Statement? final = last.Status == HttpStatusCode.OK ? Verify(last.Text, keys, out _) : null;
        Check(final is not null, $"the newest signed list answered {(int)last.Status} and does not verify");
        var revokedInList = final?.Ratings.Where(r => r.Status == "revoked").Select(r => r.Branch).ToHashSet(StringComparer.Ordinal) ?? [];
        Check(revokedInList.SetEquals(chosen), $"the newest signed list shows {revokedInList.Count} titles revoked, not the " +
            $"{chosen.Length} changed");
        // Changes applied together are signed together: one list at publication, then at most one a change, each for a
        // change of these (never one twice), the newest as many as are stored.
        var changeReasons = chosen.Select(b => ReasonOf(ids[b])).ToHashSet(StringComparer.Ordinal);
        string[] reasons = [.. statements.Select(r => r.Reason)];
        bool signedTogether = reasons.Count(r => r == "published") == 1 && reasons.Length <= chosen.Length + 1
            && reasons.Where(r => r != "published").All(changeReasons.Contains) && reasons.Distinct().Count() == reasons.Length
            && statements.Max(r => r.Version) == statements.Count;
        Check(signedTogether, $"{statements.Count} statements stored, not one at publication and at most one per change " +
            $"({chosen.Length + 1}): " +
            string.Join(", ", statements.GroupBy(r => r.Reason.Split(':')[0]).Select(g => $"{g.Count()} {g.Key}")));
        RegisterWalk revoked = await WalkRegisterAsync(RegisterRevoked, org, "revoked");
        Check(revoked.Branches.ToHashSet(StringComparer.Ordinal).SetEquals(chosen),
            $"the register shows {revoked.Branches.Count} titles revoked, not the {chosen.Length} changed");
        foreach (string b in chosen.Where(b => !one.Shown.ContainsKey(b) && !all.Shown.ContainsKey(b)).Take(5))
            Check(false, $"{b}: its public page did not show it revoked within {WaitLimit.TotalMinutes:0} min of its decision");

        return new ChangesRecord(n, Math.Round(all.DecideSeconds, 2), Math.Round(all.SettledSeconds, 2), all.Shown.Count,
            Of(all.Shown.Values), all.SignedIn.Count, Of(all.SignedIn.Values.Select(s => s.Ms)), last.StatementVersion, final?.Version,
            statements.Count, statements.Count, signedTogether, revokedInList.Count, revoked.Branches.Count,
            all.SignedIn.Values.Select(s => s.Version).Distinct().Count())
        {
            AllChanges = chosen.Length,
            Alone = new ChangeAlone(Round(one.Shown.Values), Round(one.SignedIn.Values.Select(s => s.Ms))),
        };

        static string Ms(IEnumerable<double> ms) => ms.Any() ? $"{ms.First() / 1000:F1} s" : "never";
        static Latency? Of(IEnumerable<double> ms) => ms.ToArray() is { Length: > 0 } a ? Latency.Of(a) : null;
        static double? Round(IEnumerable<double> ms) => ms.Select(m => (double?)Math.Round(m)).FirstOrDefault();
    }

    static string ReasonOf(string changeId) => "honour-change:" + changeId;

    async Task ProposeAsync(string campaignId, string[] branches, ConcurrentDictionary<string, string> ids, string endpoint) =>
        await ForEachAsync(branches, async b =>
        {
            string county = string.Join('.', b.Split('.').Take(2));
            AuthenticationHeaderValue scorer = ProductCampaign.Token(Roles.CountyScorer, county, "scorer@" + county);
            var revoke = new
            {
                kind = "revoke", reasonCategory = "negative-list", description = $"基准测试：年中巡察发现台账补记（{b}）",
            };
            Answer a = await CommandAsync(endpoint, $"api/campaigns/{campaignId}/honours/{b}/changes", scorer, revoke, "change-" + b);
            using JsonDocument doc = JsonDocument.Parse(a.Body);
            ids[b] = doc.RootElement.GetProperty("changeId").GetString()!;
        });

    /// <summary>
    /// What the watch of changes saw: per branch, when its decision's 202 came (UTC), and the milliseconds from it to its
    /// public page showing it revoked and to the page naming a signed list that does (with that list's version).
    /// </summary>
    sealed record Watched(ConcurrentDictionary<string, DateTimeOffset> DecidedAt, ConcurrentDictionary<string, double> Shown,
        ConcurrentDictionary<string, (double Ms, int Version)> SignedIn, double DecideSeconds, double SettledSeconds, Stopwatch Clock);

    /// <summary>Decides every change (approve, no notice), and from each decision's 202 polls that title's public page.</summary>
    async Task<Watched> DecideAndWatchAsync(string campaignId, string[] branches, ConcurrentDictionary<string, string> ids,
        AuthenticationHeaderValue org, string endpoint, string polled)
    {
        var shown = new ConcurrentDictionary<string, double>(StringComparer.Ordinal);
        var signedIn = new ConcurrentDictionary<string, (double Ms, int Version)>(StringComparer.Ordinal);
        var decidedAt = new ConcurrentDictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        var watches = new ConcurrentBag<Task>();
        var clock = Stopwatch.StartNew();
        await ForEachAsync(branches, async b =>
        {
            Answer a = await CommandAsync(endpoint, $"api/campaigns/{campaignId}/honours/{b}/changes/{ids[b]}/decision", org,
                new { approve = true, comment = "基准测试：经研究同意撤销" }, "decide-" + b);
            long at = a.Timestamp;
            decidedAt[b] = a.At;
            watches.Add(Task.Run(async () =>
            {
                var until = DateTime.UtcNow + WaitLimit;
                while (DateTime.UtcNow < until && !(shown.ContainsKey(b) && signedIn.ContainsKey(b)))
                {
                    await Task.Delay(ChangePoll);
                    Answer p = await SendAsync(polled, HttpMethod.Get, $"api/public/honours/{campaignId}/{b}", null, null, null);
                    if (p.Status != HttpStatusCode.OK) continue;
                    double ms = Stopwatch.GetElapsedTime(at, p.Timestamp).TotalMilliseconds;
                    using JsonDocument doc = JsonDocument.Parse(p.Body);
                    JsonElement view = doc.RootElement;
                    if (view.GetProperty("status").GetString() == "revoked") shown.TryAdd(b, ms);
                    if (view.TryGetProperty("statement", out JsonElement st) && st.ValueKind == JsonValueKind.Object
                        && st.GetProperty("entry") is { ValueKind: JsonValueKind.Object } entry
                        && entry.GetProperty("status").GetString() == "revoked")
                        signedIn.TryAdd(b, (ms, st.GetProperty("version").GetInt32()));
                }
            }));
        });
        double decideSeconds = clock.Elapsed.TotalSeconds;
        await Task.WhenAll(watches);
        return new Watched(decidedAt, shown, signedIn, decideSeconds, clock.Elapsed.TotalSeconds, clock);
    }

    /// <summary>The campaign's statements as stored (table Statements): reason, version, when signed.</summary>
    static async Task<List<(string Reason, int Version, DateTimeOffset IssuedAt)>> StatementsAsync(TableServiceClient tables,
        string campaignId)
    {
        var rows = new List<(string, int, DateTimeOffset)>();
        string partition = TableClient.CreateQueryFilter($"PartitionKey eq {campaignId}");
        await foreach (TableEntity row in tables.GetTableClient("Statements").QueryAsync<TableEntity>(partition,
            select: ["Reason", "Version", "IssuedAt"]))
            rows.Add((row.GetString("Reason") ?? "", row.GetInt32("Version") ?? 0, row.GetDateTimeOffset("IssuedAt") ?? default));
        return rows;
    }

    void CheckPublic(Answer a, string branch, string level, string status, int version)
    {
        if (a.Status != HttpStatusCode.OK)
        {
            Check(false, $"{branch}: its public page answered {(int)a.Status}");
            return;
        }
        using JsonDocument doc = JsonDocument.Parse(a.Body);
        JsonElement v = doc.RootElement;
        JsonElement st = v.GetProperty("statement");
        Check(v.GetProperty("branchId").GetString() == branch && v.GetProperty("level").GetString() == level
            && v.GetProperty("status").GetString() == status && st.ValueKind == JsonValueKind.Object
            && st.GetProperty("version").GetInt32() == version && st.GetProperty("entry").GetProperty("level").GetString() == level,
            $"{branch}: its public page reads {a.Text[..Math.Min(a.Text.Length, 300)]}");
    }

    void Check(bool ok, string problem)
    {
        if (!ok) wrong.Enqueue(problem);
    }

    /// <summary>The JWK Set's P-256 keys by kid, read here from their coordinates (not through the app's own key code).</summary>
    static Dictionary<string, ECDsa> ReadKeys(byte[] jwks)
    {
        using JsonDocument doc = JsonDocument.Parse(jwks);
        return doc.RootElement.GetProperty("keys").EnumerateArray()
            .Where(k => k.GetProperty("kty").GetString() == "EC" && k.GetProperty("crv").GetString() == "P-256")
            .ToDictionary(k => k.GetProperty("kid").GetString()!, k => ECDsa.Create(new ECParameters
            {
                Curve = ECCurve.NamedCurves.nistP256,
                Q = new ECPoint
                {
                    X = Base64Url.DecodeFromChars(k.GetProperty("x").GetString()),
                    Y = Base64Url.DecodeFromChars(k.GetProperty("y").GetString()),
                },
            }));
    }

    sealed record Statement(string Kid, int Version, DateTimeOffset IssuedAt, List<(string Branch, string Level, string? Status)> Ratings);

    /// <summary>
    /// A compact JWS checked as RFC 7515 says: ES256 in its protected header, the signature (r ‖ s, 64 bytes) over
    /// "header.payload" under the key its kid names; then its payload read.
    /// </summary>
    static Statement? Verify(string jws, Dictionary<string, ECDsa> keys, out string? problem)
    {
        string[] parts = jws.Trim().Split('.');
        if (parts.Length != 3) { problem = "not three parts"; return null; }
        using JsonDocument header = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[0]));
        string? alg = header.RootElement.GetProperty("alg").GetString(), kid = header.RootElement.GetProperty("kid").GetString();
        if (alg != "ES256" || kid is null || !keys.TryGetValue(kid, out ECDsa? key)) { problem = $"alg {alg}, kid {kid}"; return null; }
        byte[] signature = Base64Url.DecodeFromChars(parts[2]);
        if (!key.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), signature, HashAlgorithmName.SHA256))
        {
            problem = "the signature does not hold";
            return null;
        }
        using JsonDocument payload = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1]));
        JsonElement p = payload.RootElement;
        problem = null;
        return new Statement(kid, p.GetProperty("version").GetInt32(), p.GetProperty("issuedAt").GetDateTimeOffset(),
            [.. p.GetProperty("ratings").EnumerateArray().Select(r => (r.GetProperty("branchId").GetString()!,
                r.GetProperty("level").GetString()!, r.TryGetProperty("status", out JsonElement s) ? s.GetString() : null))]);
    }

    Task ForEachAsync(string[] items, Func<string, Task> action) =>
        Parallel.ForEachAsync(items, new ParallelOptions { MaxDegreeOfParallelism = clients }, async (b, _) => await action(b));

    /// <summary>An answer: its status, body, content type, the statement version header, and when it ended (UTC and timestamp).</summary>
    sealed record Answer(HttpStatusCode Status, byte[] Body, string ContentType, int? StatementVersion, DateTimeOffset At, long Timestamp)
    {
        public string Text => Encoding.UTF8.GetString(Body);
    }

    /// <summary>A command that must be answered 202; a connection error or a 5xx is retried under the same Idempotency-Key.</summary>
    async Task<Answer> CommandAsync(string endpoint, string path, AuthenticationHeaderValue token, object body, string key)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                Answer a = await SendAsync(endpoint, HttpMethod.Post, path, token, body, null, key);
                if (a.Status == HttpStatusCode.Accepted) return a;
                if ((int)a.Status < 500 || attempt == 5)
                    throw new InvalidOperationException($"POST {path} answered {(int)a.Status}, expected 202: {a.Text}");
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && attempt < 5)
            {
                log($"F: POST {path} failed ({e.GetType().Name}: {e.Message}); retrying");
            }
            await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt));
        }
    }

    /// <summary>One request, its latency recorded under <paramref name="endpoint"/>; a read without an answer counts as an error.</summary>
    async Task<Answer> SendAsync(string endpoint, HttpMethod method, string path, AuthenticationHeaderValue? token, object? body,
        string? accept, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = token;
        if (accept is not null) request.Headers.Accept.ParseAdd(accept);
        if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
        if (body is not null)
            request.Content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body, JsonSerializerOptions.Web))
            {
                Headers = { ContentType = new("application/json") { CharSet = "utf-8" } },
            };
        long started = Stopwatch.GetTimestamp();
        try
        {
            using HttpResponseMessage response = await http.SendAsync(request);
            byte[] bytes = await response.Content.ReadAsByteArrayAsync();
            long ended = Stopwatch.GetTimestamp();
            latencies.GetOrAdd(endpoint, _ => []).Add(Stopwatch.GetElapsedTime(started, ended).TotalMilliseconds);
            if (!response.IsSuccessStatusCode && response.StatusCode != HttpStatusCode.Conflict) Interlocked.Increment(ref errors);
            int? version = response.Headers.TryGetValues("X-Statement-Version", out var v) && int.TryParse(v.First(), out int n) ? n : null;
            return new Answer(response.StatusCode, bytes, response.Content.Headers.ContentType?.ToString() ?? "", version,
                DateTimeOffset.UtcNow, ended);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && method == HttpMethod.Get)
        {
            Interlocked.Increment(ref errors);
            log($"F: GET {path} failed ({e.GetType().Name}: {e.Message})");
            return new Answer(0, [], "", null, DateTimeOffset.UtcNow, Stopwatch.GetTimestamp());
        }
    }
}

/// <summary>
/// The signed list after publication: seconds from the publication (the server's time) and from when B's client saw it
/// published to the first 200 of <c>ratings.jws</c>, and from the publication to the statement's own <c>issuedAt</c>; the
/// 409s before it; the JWS's size; whether it verified; its version; its ratings, those as published, and the list's.
/// </summary>
public sealed record SigningRecord(double? PublishedToSignedSeconds, double? SeenPublishedToSignedSeconds, double? IssuedAfterSeconds,
    int Conflicts, int Polls, int JwsBytes, string? Kid, bool SignatureValid, int? Version, int SignedRatings, int PublishedRatings,
    int RatingsAsPublished);

/// <summary>
/// The revocations: how many, how long their decisions took to send, when the last was seen on its page and in a signed
/// list (settled); per change, from its decision's
/// 202 to its public page showing it revoked, and to the page naming a signed list that shows it so; the newest version
/// (header and payload) against the statements stored, and whether they are one at publication and at most one per change;
/// the revoked titles in the newest list and in the register; and how many versions the changes were first seen signed in.
/// </summary>
public sealed record ChangesRecord(int Changes, double DecideSeconds, double SettledSeconds, int Shown, Latency? ShownMs, int Signed,
    Latency? SignedMs, int? FinalVersionHeader, int? FinalVersionPayload, int ExpectedVersion, int StatementsStored,
    bool SignedTogether, int RevokedInSignedList, int RevokedInRegister, int VersionsSeen)
{
    /// <summary>One revocation before them, alone.</summary>
    public ChangeAlone? Alone { get; init; }

    /// <summary>Every change applied: the one alone and those together.</summary>
    public int AllChanges { get; init; }
}

/// <summary>
/// One revocation with nothing else changing: milliseconds from its decision's 202 to its public page showing it, to the
/// page naming a signed list that does.
/// </summary>
public sealed record ChangeAlone(double? ShownMs, double? SignedMs);
