using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Eval.FunctionalTests.Infrastructure;

namespace Eval.FunctionalTests;

public sealed class HealthTests
{
    [Fact]
    public async Task Health_asks_storage_and_the_task_hub_and_reports_an_outage()
    {
        using AzuriteInstance storage = AzuriteInstance.StartPrivate();
        string hub = LocalHostProcess.NewHubName();
        await using LocalHostProcess host = await LocalHostProcess.StartAsync(storage.ConnectionString, hub);

        using HttpResponseMessage up = await host.Http.GetAsync("api/health");
        Assert.Equal(HttpStatusCode.OK, up.StatusCode);
        JsonElement body = await up.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("ok", body.GetProperty("checks").GetProperty("storage").GetProperty("status").GetString());
        Assert.Equal("ok", body.GetProperty("checks").GetProperty("taskHub").GetProperty("status").GetString());
        // Anyone may ask: the answer names no task hub.
        Assert.DoesNotContain(hub, await up.Content.ReadAsStringAsync());

        storage.Dispose(); // the storage goes away under the running host

        using HttpResponseMessage down = await host.Http.GetAsync("api/health");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
        Assert.Equal("application/problem+json", down.Content.Headers.ContentType?.MediaType);
        JsonElement problem = await down.Content.ReadFromJsonAsync<JsonElement>();
        JsonElement failed = problem.GetProperty("checks").GetProperty("storage");
        Assert.Equal("failed", failed.GetProperty("status").GetString());
        // Anyone may ask: the failure says only whether it timed out, without the message (endpoints, account, identity),
        // the exception's type or the task hub.
        Assert.Matches("^(timed out|no answer)$", failed.GetProperty("error").GetString()!);
        string text = await down.Content.ReadAsStringAsync();
        Assert.DoesNotContain("127.0.0.1", text);
        Assert.DoesNotContain("Exception", text);
        Assert.DoesNotContain(hub, text);
    }
}
