using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Eval.FunctionalTests.Infrastructure;
using Eval.Workflows.Domain;

namespace Eval.FunctionalTests;

/// <summary>
/// The shared OpenTelemetry wiring, seen from outside: the local host with the console exporter on traces an HTTP request
/// through the Durable Task client into the orchestration and its activities (one trace), traces Table Storage calls,
/// and logs an accepted submission with CampaignId, BranchId and InstanceId as fields (JSON console logs).
/// </summary>
public sealed class TelemetryTests
{
    sealed record Span(string TraceId, string Name, string? Kind, string? Source);

    /// <summary>
    /// The console exporter's spans: blocks of "Activity.Field: value" lines, each starting with its TraceId, then the source.
    /// </summary>
    static List<Span> Spans(string output)
    {
        var spans = new List<Span>();
        Span? current = null;
        bool scope = false;
        foreach (string raw in output.Split('\n'))
        {
            string line = raw.Trim();
            // "Instrumentation scope (ActivitySource):" is followed by "Name: <source>".
            if (scope && current is not null && line.StartsWith("Name:", StringComparison.Ordinal))
                current = current with { Source = line["Name:".Length..].Trim() };
            scope = line.StartsWith("Instrumentation scope (ActivitySource)", StringComparison.Ordinal);
            string Value() => line[(line.IndexOf(':') + 1)..].Trim();
            if (line.StartsWith("Activity.TraceId:", StringComparison.Ordinal))
            {
                if (current is not null) spans.Add(current);
                current = new Span(Value(), "", null, null);
            }
            else if (current is not null && line.StartsWith("Activity.DisplayName:", StringComparison.Ordinal))
                current = current with { Name = Value() };
            else if (current is not null && line.StartsWith("Activity.Kind:", StringComparison.Ordinal))
                current = current with { Kind = Value() };
        }
        if (current is not null) spans.Add(current);
        return spans;
    }

    static IEnumerable<JsonElement> JsonLogs(string output)
    {
        foreach (string line in output.Split('\n'))
        {
            if (!line.StartsWith('{')) continue;
            JsonElement entry;
            try { entry = JsonDocument.Parse(line).RootElement; }
            catch (JsonException) { continue; }
            yield return entry;
        }
    }

    [Fact]
    public async Task An_HTTP_request_its_orchestration_and_storage_calls_are_traced_and_submissions_are_logged_with_their_ids()
    {
        await using LocalHostProcess host = await LocalHostProcess.StartAsync(AzuriteInstance.Shared.ConnectionString,
            LocalHostProcess.NewHubName(),
            settings: new Dictionary<string, string>
            {
                ["Storage__TablePrefix"] = "t" + Guid.NewGuid().ToString("N")[..8],
                ["Telemetry__Console"] = "true",
                ["Logging__Console__FormatterName"] = "json",
                ["Logging__Console__FormatterOptions__IncludeScopes"] = "true",
                ["Logging__LogLevel__Eval"] = "Information",
            });
        using var driver = new CampaignDriver(host);

        // 1. A self-test: an orchestration that writes a row, waits a second for a confirmation and ends.
        HttpClient org = driver.As(Roles.OrgDepartment, "chifeng");
        using HttpResponseMessage started = await org.PostAsJsonAsync("api/selftests", new { deadlineSeconds = 1 });
        await CampaignDriver.Expect(started, HttpStatusCode.Accepted);

        // 2. A submission in a campaign, recorded by the branch's workflow.
        TestCounty county = await driver.CreateCountyAsync(1, 1);
        string branch = county.Branches[0];
        string campaign = "tel-" + Guid.NewGuid().ToString("N")[..8];
        await driver.CreateAndStartAsync(CampaignDriver.Campaign(campaign, county.Id), county.Id, 1);
        using HttpResponseMessage submitted = await driver.SubmitAsync(campaign, branch, CampaignDriver.Scores(20, 20, 20, 20));
        await CampaignDriver.Expect(submitted, HttpStatusCode.Accepted);
        await driver.WaitForStageAsync(campaign, branch, Stages.AwaitingTownshipReview);

        // Spans are written when they end: the self-test's orchestration ends about a second after its deadline.
        List<Span> spans = await Poll.UntilAsync(() =>
        {
            List<Span> s = Spans(host.Output);
            return Task.FromResult<List<Span>?>(s.Any(x => x.Name == "orchestration:SelfTestOrchestrator") ? s : null);
        }, TimeSpan.FromSeconds(60), "the self-test orchestration's span", () => host.Output);

        Span post = Assert.Single(spans, s => s.Name == "POST /api/selftests");
        Assert.Equal("Server", post.Kind);
        Span orchestration = Assert.Single(spans, s => s.Name == "orchestration:SelfTestOrchestrator");
        Assert.Equal("Microsoft.DurableTask", orchestration.Source);
        // One trace from the request through the client's create_orchestration into the orchestration and its activity.
        Assert.Equal(post.TraceId, orchestration.TraceId);
        Assert.Contains(spans, s => s.Name == "create_orchestration:SelfTestOrchestrator" && s.TraceId == post.TraceId);
        Assert.Contains(spans, s => s.Name.StartsWith("activity:", StringComparison.Ordinal) && s.TraceId == post.TraceId);
        // Table Storage through the Azure SDK's own spans.
        Assert.Contains(spans, s => s.Name.StartsWith("TableClient.", StringComparison.Ordinal) && s.TraceId == post.TraceId);
        Assert.Contains(spans, s => s.Name == "POST /api/campaigns/{cid}/evaluations/{branchId}/self-assessment" && s.Kind == "Server");
        // The worker's gRPC plumbing to the sidecar is left out.
        Assert.DoesNotContain(spans, s => s.Name.Contains("TaskHubSidecarService", StringComparison.Ordinal));

        JsonElement accepted = Assert.Single(JsonLogs(host.Output), e =>
            e.GetProperty("Category").GetString() == "Eval.Application.Evaluations.EvaluationSteps" &&
            e.GetProperty("State").TryGetProperty("Step", out JsonElement step) && step.GetString() == "self-assessment");
        JsonElement state = accepted.GetProperty("State");
        Assert.Equal(campaign, state.GetProperty("CampaignId").GetString());
        Assert.Equal(branch, state.GetProperty("BranchId").GetString());
        Assert.Equal(InstanceIds.Evaluation(campaign, branch), state.GetProperty("InstanceId").GetString());
    }
}
