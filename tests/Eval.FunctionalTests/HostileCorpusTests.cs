using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Eval.FunctionalTests.Infrastructure;
using Eval.Workflows.Domain;
using Eval.LocalHost.Cli;

namespace Eval.FunctionalTests;

/// <summary>
/// Over 500 malformed and hostile requests across every endpoint, sent by callers who hold the right role, so that
/// only the hostility can fail them: each must get a 4xx problem+json, never a 5xx, and afterwards every table the
/// project writes must be byte for byte as it was (rows, properties and ETags). Unclean text in an otherwise valid
/// body must be 422 at its member.
/// </summary>
public sealed class HostileCorpusTests(LocalHostFixture fx) : IClassFixture<LocalHostFixture>, IDisposable
{
    readonly CampaignDriver driver = new(fx.Host);

    public void Dispose() => driver.Dispose();

    /// <summary>Path values that try to escape a key, a route or a query: OData, traversal, reserved characters.</summary>
    static readonly string[] HostileIds =
    [
        "'", "' or PartitionKey ne '", "x' or '1' eq '1", "') or (RowKey ne '", "%27%20or%20%271%27%20eq%20%271",
        "..%2F..%2Fetc%2Fpasswd", "..%5C..%5Cwindows", "a%2Fb", "%23frag", "%3Fq%3D1", "%0d%0aSet-Cookie:%20x=1",
        "$filter=PartitionKey%20ne%20''", "CON", new string('a', 300), "%E5%85%9A%E6%94%AF%E9%83%A8", "chifeng..hongshan",
        "chifeng.hongshan.t01.b001'", "-", "*", "%2A", "null", "undefined", "%7B%7D",
    ];

    /// <summary>Bodies that are broken or hostile whatever the endpoint.</summary>
    static readonly string[] HostileBodies =
    [
        "{", "}", "[", "{\"a\":}", "{'a':1}", "{a:1}", "NaN", "{\"x\":NaN}", "{\"x\":Infinity}", "{\"x\":-Infinity}",
        "{\"x\":1e400}", "{\"x\":-1e400}", "{\"x\":123456789012345678901234567890}", "null", "true", "42", "\"text\"", "[]",
        "{\"x\":1,}", "{\"x\":1} trailing", "{\"x\":\"\\u0000\"}", "{\"x\":\"\u0001\u0002\"}", "/* c */ {}", "\uFEFF{}",
        "{\"__proto__\":{\"admin\":true}}", "{\"x\":1,\"x\":2}",
        string.Concat(Enumerable.Repeat("[", 200)) + string.Concat(Enumerable.Repeat("]", 200)),
        "{\"scores\":{\"political\":\"25\"}}", "{\"decision\":\"approve\\u0000\"}", "{\"id\":\"' or PartitionKey ne '\"}",
    ];

    [Fact]
    public async Task Hostile_requests_get_4xx_problems_and_leave_storage_untouched()
    {
        TestCounty county = await driver.CreateCountyAsync(1, 2);
        string branch = county.Branches[0];
        string campaign = await driver.CreateAndStartAsync(
            CampaignDriver.Campaign("hc-" + Guid.NewGuid().ToString("N")[..8], county.Id, "PT10M", "PT10M", "PT10M"), county.Id, 2);
        await Task.Delay(2000); // let the start's last writes settle before the "before" dump
        string before = await DumpAsync();

        // Pointer: where a 422 must point, for the requests that must be refused as invalid rather than any 4xx.
        var requests = new List<(string Name, Func<HttpRequestMessage> Build, HttpClient Client, string? Pointer)>();
        HttpClient org = driver.As(Roles.OrgDepartment, "chifeng");
        HttpClient secretary = driver.As(Roles.BranchSecretary, branch);
        HttpClient reviewer = driver.As(Roles.TownshipReviewer, CampaignDriver.TownshipOf(branch));
        HttpClient scorer = driver.As(Roles.CountyScorer, county.Id);

        // 1. Hostile values in every path parameter of every route.
        foreach (string bad in HostileIds)
        {
            void Add(string method, string path, HttpClient c, string? body = null) =>
                requests.Add(($"{method} {path}", () => Request(method, path, body), c, null));
            Add("GET", $"api/schemas/{bad}", org);
            Add("GET", $"api/units/{bad}", org);
            Add("GET", $"api/campaigns/{bad}", org);
            Add("POST", $"api/campaigns/{bad}/start", org);
            Add("GET", $"api/campaigns/{bad}/schemas/self-assessment", org);
            Add("GET", $"api/campaigns/{bad}/evaluations", org);
            Add("GET", $"api/campaigns/{campaign}/evaluations/{bad}", org);
            // The campaign id of an evaluation route is checked before any table is read (the evaluation is read with it).
            Add("GET", $"api/campaigns/{bad}/evaluations/{branch}", org);
            Add("POST", $"api/campaigns/{bad}/evaluations/{branch}/self-assessment", secretary, Valid.SelfAssessment);
            Add("POST", $"api/campaigns/{bad}/evaluations/{branch}/township-review", reviewer, Valid.Review);
            Add("POST", $"api/campaigns/{bad}/evaluations/{branch}/county-score", scorer, Valid.Score);
            Add("POST", $"api/campaigns/{campaign}/evaluations/{bad}/self-assessment", secretary, Valid.SelfAssessment);
            Add("POST", $"api/campaigns/{campaign}/evaluations/{bad}/township-review", reviewer, Valid.Review);
            Add("POST", $"api/campaigns/{campaign}/evaluations/{bad}/county-score", scorer, Valid.Score);
            Add("POST", $"api/campaigns/{bad}/publication", org, "{}");
            Add("GET", $"api/campaigns/{bad}/ratings", org);
            Add("POST", $"api/campaigns/{bad}/objections", org, $"{{\"branchId\":\"{branch}\",\"text\":\"x\"}}");
            Add("POST", $"api/campaigns/{campaign}/objections/{bad}/resolution", org, Valid.Resolution);
            Add("GET", $"api/campaigns/{bad}/objections", org);
            Add("GET", $"api/campaigns/{campaign}/objections/{bad}", org);
            Add("POST", $"api/campaigns/{bad}/objection-resolutions", org, Valid.Resolutions);
            Add("GET", $"api/campaigns/{campaign}/objections?status={bad}", org);
            Add("GET", $"api/campaigns/{campaign}/objections?pageSize={bad}", org);
            Add("GET", $"api/campaigns/{campaign}/objections?continuationToken={bad}", org);
            Add("GET", $"api/campaigns/{bad}/audit/verify", org);
            Add("GET", $"api/campaigns/{campaign}/evaluations?unit={bad}", org);
            Add("GET", $"api/campaigns/{campaign}/evaluations?stage={bad}", org);
            Add("GET", $"api/campaigns/{campaign}/evaluations?continuationToken={bad}", org);
            Add("GET", $"api/campaigns/{campaign}/evaluations?pageSize={bad}", org);
        }

        // 2. Hostile bodies on every endpoint that takes one.
        var bodyTargets = new (string Path, string Method, HttpClient Client)[]
        {
            ("api/units", "PUT", org), ("api/campaigns", "POST", org),
            ($"api/campaigns/{campaign}/evaluations/{branch}/self-assessment", "POST", secretary),
            ($"api/campaigns/{campaign}/evaluations/{branch}/township-review", "POST", reviewer),
            ($"api/campaigns/{campaign}/evaluations/{branch}/county-score", "POST", scorer),
            ($"api/campaigns/{campaign}/publication", "POST", org), ($"api/campaigns/{campaign}/objections", "POST", org),
            ("api/selftests", "POST", org),
            ($"api/campaigns/{campaign}/objection-resolutions", "POST", org),
        };
        foreach (var (path, method, client) in bodyTargets)
            foreach (string body in HostileBodies)
                requests.Add(($"{method} {path} {Shorten(body)}", () => Request(method, path, body), client, null));

        // 3. Headers: oversized and forged tokens, wrong media types, hostile idempotency keys.
        foreach (var (path, method, client) in bodyTargets)
        {
            requests.Add(($"{method} {path} 30 KB token",
                () => WithAuth(Request(method, path, "{}"), "Bearer " + new string('a', 30_000)), client, null));
            requests.Add(($"{method} {path} token with a newline",
                () => WithAuth(Request(method, path, "{}"), "Bearer a.b.c\u0001"), client, null));
            requests.Add(($"{method} {path} xml", () => Request(method, path, "<a/>", "application/xml"), client, null));
            requests.Add(($"{method} {path} form", () => Request(method, path, "a=1", "application/x-www-form-urlencoded"), client, null));
            requests.Add(($"{method} {path} key with spaces", () => WithKey(Request(method, path, "{}"), "has spaces"), client, null));
        }

        // 4. Unclean text in each free-text member of a body that is otherwise valid: a unit, a campaign, a
        // self-assessment and a self-test that would be stored, and the bodies the state refuses (409) after the checks.
        string evaluation = $"api/campaigns/{campaign}/evaluations/{branch}";
        object scores = CampaignDriver.Scores(20, 20, 20, 20);
        object newCampaign = CampaignDriver.Campaign("hc-text-" + Guid.NewGuid().ToString("N")[..8], county.Id).RequestBody();
        object newUnit = new { units = new[] { new { id = CampaignDriver.TownshipOf(branch) + ".b999", name = "", kind = "branch" } } };
        object evidence = new
        {
            scores, summary = "总结", evidence = new[] { new { criterion = "unity", title = "", url = "https://example.org/e/1" } },
        };
        HttpClient objector = driver.As(Roles.Member, county.Id);
        var textTargets = new (string Method, string Path, HttpClient Client, object Body, string Member, bool MultiLine)[]
        {
            ("PUT", "api/units", org, newUnit, "/units/0/name", false),
            ("POST", "api/campaigns", org, newCampaign, "/title", false),
            ("POST", "api/campaigns", org, newCampaign, "/levels/0/title", false),
            ("POST", $"{evaluation}/self-assessment", secretary, new { scores, summary = "" }, "/summary", true),
            ("POST", $"{evaluation}/self-assessment", secretary, evidence, "/evidence/0/title", false),
            ("POST", $"{evaluation}/township-review", reviewer, new { decision = "return", comment = "" }, "/comment", true),
            ("POST", $"{evaluation}/county-score", scorer, new { scores, comment = "" }, "/comment", true),
            ("POST", $"api/campaigns/{campaign}/objections", objector, new { branchId = branch, text = "" }, "/text", true),
            ("POST", $"api/campaigns/{campaign}/objection-resolutions", org,
                new { objectionIds = new[] { "obj-" + new string('0', 32) }, upheld = false, comment = "" }, "/comment", true),
            ("POST", "api/selftests", org, new { deadlineSeconds = 600, requestedBy = "" }, "/requestedBy", false),
        };
        foreach (var (method, path, client, body, member, multiLine) in textTargets)
            foreach (var (name, json) in multiLine ? UncleanText.Anywhere : [.. UncleanText.Anywhere, .. UncleanText.LineBreaks])
            {
                string text = WithRawString(body, member, json);
                requests.Add(($"{method} {path} {member}: {name}", () => Request(method, path, text), client, member));
            }

        Assert.True(requests.Count >= 500, $"the corpus has {requests.Count} requests");

        // A NUL in the path never reaches the app: the web server itself answers 400 (with no body) before routing.
        using (HttpResponseMessage nul = await org.GetAsync($"api/campaigns/{campaign}/evaluations/%00"))
            Assert.Equal(HttpStatusCode.BadRequest, nul.StatusCode);
        var failures = new List<string>();
        int fiveHundreds = 0;
        foreach (var (name, build, client, pointer) in requests)
        {
            using HttpRequestMessage message = build();
            using HttpResponseMessage response = await client.SendAsync(message);
            int status = (int)response.StatusCode;
            string answer = await response.Content.ReadAsStringAsync();
            if (status >= 500) fiveHundreds++;
            if (status is < 400 or >= 500 || response.Content.Headers.ContentType?.MediaType != "application/problem+json")
                failures.Add($"{name} → {status} {response.Content.Headers.ContentType?.MediaType}: {Shorten(answer)}");
            else if (pointer is not null && (status != 422 || !HasErrorAt(answer, pointer)))
                failures.Add($"{name} → {status}, not 422 at {pointer}: {answer}");
        }
        Assert.True(failures.Count == 0,
            $"{failures.Count} of {requests.Count} requests were not a 4xx problem ({fiveHundreds} were 5xx):\n" +
            string.Join("\n", failures.Take(40)));

        await Task.Delay(2000); // anything the requests set in motion would show by now
        Assert.Equal(before, await DumpAsync());
    }

    /// <summary>Every row of every table the project writes, with its properties and ETag, in key order.</summary>
    async Task<string> DumpAsync()
    {
        var dump = new StringBuilder();
        foreach (string table in Eval.Workflows.Storage.EvalTables.All)
        {
            dump.AppendLine("## " + table);
            var rows = new List<TableEntity>();
            await foreach (TableEntity e in fx.Table(table).QueryAsync<TableEntity>()) rows.Add(e);
            foreach (TableEntity e in rows.OrderBy(r => r.PartitionKey, StringComparer.Ordinal)
                .ThenBy(r => r.RowKey, StringComparer.Ordinal))
                dump.AppendLine(
                    string.Join(" | ", e.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={Format(p.Value)}")));
        }
        return dump.ToString();
    }

    static string Format(object? value) => value switch
    {
        byte[] b => Convert.ToBase64String(b),
        DateTimeOffset t => t.ToString("O"),
        _ => value?.ToString() ?? "null",
    };

    static HttpRequestMessage Request(string method, string path, string? body, string mediaType = "application/json")
    {
        var message = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null) message.Content = new StringContent(body, Encoding.UTF8, mediaType);
        return message;
    }

    static HttpRequestMessage WithAuth(HttpRequestMessage m, string value)
    {
        m.Headers.TryAddWithoutValidation("Authorization", value);
        return m;
    }

    static HttpRequestMessage WithKey(HttpRequestMessage m, string key)
    {
        m.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        return m;
    }

    static bool HasErrorAt(string problem, string pointer) =>
        JsonNode.Parse(problem)?["errors"] is JsonArray errors && errors.Any(e => (string?)e?["pointer"] == pointer);

    /// <summary>The body as JSON, the string at <paramref name="pointer"/> (an object member) written as <paramref name="json"/>.</summary>
    static string WithRawString(object body, string pointer, string json)
    {
        const string placeholder = "@@text@@";
        JsonNode root = JsonSerializer.SerializeToNode(body)!;
        string[] segments = pointer.Split('/')[1..];
        JsonNode parent = root;
        foreach (string segment in segments[..^1]) parent = parent is JsonArray array ? array[int.Parse(segment)]! : parent[segment]!;
        parent[segments[^1]] = placeholder;
        return root.ToJsonString().Replace($"\"{placeholder}\"", json, StringComparison.Ordinal);
    }

    static string Shorten(string s) => s.Length <= 60 ? s : s[..60] + "…";

    /// <summary>Bodies that are valid in themselves, so that only the hostile path can fail them.</summary>
    static class Valid
    {
        public const string SelfAssessment = """{"scores":{"political":20,"organization":20,"service":20,"unity":20},"summary":"总结"}""";
        public const string Review = """{"decision":"approve"}""";
        public const string Score = """{"scores":{"political":20,"organization":20,"service":20,"unity":20}}""";
        public const string Resolution = """{"upheld":false,"comment":"不属实"}""";
        public const string Resolutions =
            """{"objectionIds":["obj-00000000000000000000000000000000"],"upheld":false,"comment":"不属实"}""";
    }
}
