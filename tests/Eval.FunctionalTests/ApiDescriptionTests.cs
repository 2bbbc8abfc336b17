using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Eval.FunctionalTests.Infrastructure;
using Eval.LocalHost.ApiDescription;
using Eval.Workflows.Domain;
using Eval.Workflows.Schemas;

namespace Eval.FunctionalTests;

/// <summary>
/// The OpenAPI document: docs/openapi.json is what the code generates, the local host serves it, its request body
/// schemas are the ones the API validates with and serves, and the /docs page works without the internet.
/// </summary>
public sealed class ApiDescriptionTests(LocalHostFixture fixture) : IClassFixture<LocalHostFixture>
{
    public static string CommittedPath => Path.Combine(Repo.Root, "docs", "openapi.json");

    public static JsonNode Committed() => JsonNode.Parse(File.ReadAllText(CommittedPath))!;

    [Fact]
    public async Task The_committed_docs_openapi_json_is_what_the_code_generates()
    {
        string generated = await OpenApiSetup.GenerateAsync();
        string committed = File.Exists(CommittedPath) ? File.ReadAllText(CommittedPath).ReplaceLineEndings("\n") : "(missing)";
        Assert.True(generated == committed,
            "docs/openapi.json is not what the code generates: run ./eval openapi and commit it. First difference: " +
            (JsonSemantics.FirstDifference(JsonNode.Parse(committed), JsonNode.Parse(generated)) ?? "formatting only"));
    }

    [Fact]
    public async Task The_local_host_serves_the_document_and_it_is_OpenAPI_3_1()
    {
        using HttpResponseMessage response = await fixture.Http.GetAsync("openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        JsonNode served = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.StartsWith("3.1.", served["openapi"]!.GetValue<string>());
        Assert.Null(JsonSemantics.FirstDifference(Committed(), served));
    }

    [Fact]
    public async Task Each_request_schema_in_the_document_is_the_schema_the_API_serves()
    {
        JsonNode document = JsonNode.Parse(await fixture.Http.GetStringAsync("openapi/v1.json"))!;
        JsonObject components = document["components"]!["schemas"]!.AsObject();

        // Every request body refers to one of these components, and every JSON body but the self-test's does.
        var referenced = document["paths"]!.AsObject().SelectMany(p => p.Value!.AsObject())
            .Select(o => o.Value!["requestBody"]?["content"]?["application/json"]?["schema"]?["$ref"]?.GetValue<string>())
            .OfType<string>().Select(r => r["#/components/schemas/".Length..]).ToHashSet();
        Assert.All(SchemaCatalog.StaticNames, name => Assert.Contains(name, referenced));

        foreach (string name in SchemaCatalog.StaticNames)
        {
            JsonObject served = JsonNode.Parse(await fixture.Http.GetStringAsync($"api/schemas/{name}"))!.AsObject();
            // The standalone document's own identity and dialect; in the OpenAPI document the dialect is 2020-12, the
            // schema is found by its components path and draft-07's keywords have their 2020-12 names (definitions is
            // $defs, and references follow). Nothing else may differ.
            Assert.Equal("http://json-schema.org/draft-07/schema#", served["$schema"]?.GetValue<string>());
            JsonObject asDocumented = RequestSchemas.FromDraft7(name, served.ToJsonString());
            string? difference = JsonSemantics.FirstDifference(asDocumented, components[name]);
            Assert.True(difference is null, $"components/schemas/{name} differs from GET /api/schemas/{name} at {difference}");
        }

        // A campaign's self-assessment schema follows its rubric; the document has the shape every campaign shares.
        using var driver = new CampaignDriver(fixture.Host);
        TestCounty county = await driver.CreateCountyAsync(1, 1);
        string id = "api-" + Guid.NewGuid().ToString("N")[..8];
        using HttpResponseMessage created = await driver.CreateAsync(CampaignDriver.Campaign(id, county.Id));
        await CampaignDriver.Expect(created, HttpStatusCode.Created);
        string campaignSchema = await driver.As(Roles.OrgDepartment, county.Id).GetStringAsync(
            $"api/campaigns/{id}/schemas/self-assessment");
        string? general = JsonSemantics.FirstDifference(RequestSchemas.GeneralSelfAssessment(campaignSchema),
            components[OpenApiSetup.SelfAssessmentBody]);
        Assert.True(general is null, $"components/schemas/self-assessment is not campaign {id}'s schema without its rubric: {general}");
    }

    [Fact]
    public void Every_problem_answer_is_problem_json_and_every_422_lists_pointers()
    {
        JsonNode document = Committed();
        foreach ((string path, JsonNode? item) in document["paths"]!.AsObject())
        foreach ((string method, JsonNode? operation) in item!.AsObject())
        foreach ((string status, JsonNode? response) in operation!["responses"]!.AsObject())
        {
            if (status[0] is '2' or '3') continue; // a redirect carries no body
            JsonObject content = response!["content"]!.AsObject();
            Assert.True(content.Count == 1 && content.ContainsKey("application/problem+json"),
                $"{method} {path} {status}: {content.ToJsonString()}");
            string expected = status == "422" ? OpenApiSetup.ValidationProblem : "ProblemDetails";
            Assert.Equal($"#/components/schemas/{expected}", content["application/problem+json"]!["schema"]!["$ref"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task Redocly_finds_no_error_in_the_served_document()
    {
        string served = await fixture.Http.GetStringAsync("openapi/v1.json");
        IReadOnlyList<Redocly.Problem> problems = await Redocly.LintAsync(served);
        Assert.True(problems.All(p => p.Severity != "error"), "redocly lint (redocly.yaml):\n" + string.Join("\n", problems));
    }

    [Fact]
    public void Every_operation_says_who_may_call_it_and_what_its_answers_carry()
    {
        JsonNode document = Committed();
        Assert.True(document["servers"] is JsonArray { Count: > 0 }, "no servers");
        foreach ((string path, JsonNode? item) in document["paths"]!.AsObject())
        foreach ((string method, JsonNode? operation) in item!.AsObject())
        {
            string name = operation!["operationId"]!.GetValue<string>();
            // A token, or none said outright.
            JsonNode? security = operation["security"];
            Assert.True(security is JsonArray list && list.Count == (operation["x-eval-roles"] is null ? 0 : 1),
                $"{name}: security {security?.ToJsonString() ?? "absent"}");

            JsonObject responses = operation["responses"]!.AsObject();
            foreach ((string status, JsonNode? response) in responses)
                if (status is "201" or "202")
                    Assert.True(response!["headers"]?["Location"] is not null, $"{name} {status} without Location");
            // Every operation but the schemas' reads storage or the task hub; an outage is 503 with Retry-After (Health's
            // own 503 names the failed check and sends none).
            if (name != "GetSchema")
                Assert.True(responses["503"] is not null, $"{name} has no 503");
            if (name is not ("GetSchema" or "Health"))
                Assert.Equal("#/components/headers/Retry-After",
                    responses["503"]!["headers"]?["Retry-After"]?["$ref"]?.GetValue<string>());

            foreach ((string type, JsonNode? media) in operation["requestBody"]?["content"]?.AsObject() ?? [])
                Assert.True(media!["examples"]?.AsObject().Count > 0, $"{name}: the {type} body has no example");
        }
    }

    [Fact]
    public void No_two_component_schemas_are_one_shape()
    {
        var schemas = Committed()["components"]!["schemas"]!.AsObject().ToList();
        var alike = from a in schemas from b in schemas
                    where string.CompareOrdinal(a.Key, b.Key) < 0 && JsonSemantics.FirstDifference(a.Value, b.Value) is null
                    select $"{a.Key} and {b.Key}";
        Assert.Empty(alike);
    }

    [Fact]
    public async Task The_docs_page_loads_its_script_from_the_host_not_from_the_internet()
    {
        using HttpResponseMessage page = await fixture.Http.GetAsync("docs");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        string html = await page.Content.ReadAsStringAsync();

        string[] scripts = Regex.Matches(html, "<script[^>]*\\ssrc=\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToArray();
        Assert.NotEmpty(scripts);
        Assert.All(scripts,
            src => Assert.False(Uri.TryCreate(src, UriKind.Absolute, out Uri? u) && u.Scheme is "http" or "https", $"script from {src}"));
        Assert.DoesNotMatch("<link[^>]*href=\"https?://", html);
        long largest = 0;
        foreach (string src in scripts)
        {
            using HttpResponseMessage script = await fixture.Http.GetAsync(new Uri(page.RequestMessage!.RequestUri!, src));
            Assert.Equal(HttpStatusCode.OK, script.StatusCode);
            largest = Math.Max(largest, (await script.Content.ReadAsByteArrayAsync()).Length);
        }
        Assert.True(largest > 1_000_000, $"none of {string.Join(", ", scripts)} is the Scalar bundle ({largest} bytes at most)");
        Assert.Contains("\"openapi/v1.json\"", html); // the document the page loads, from the same host
        // and the server it tries requests on: its own origin, not the document's http://localhost:7071.
        Assert.Contains("\"servers\":[{\"url\":\"/\"", html);
    }
}
