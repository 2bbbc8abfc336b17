using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Data.Tables;
using Eval.FunctionalTests.Infrastructure;
using Eval.Workflows.Domain;

namespace Eval.FunctionalTests;

/// <summary>A workflow waiting for its event outlives the process that started it.</summary>
public sealed class DurabilityTests
{
    [Fact]
    public async Task A_waiting_workflow_survives_SIGKILL_and_completes_in_a_new_process()
    {
        string storage = AzuriteInstance.Shared.ConnectionString;
        string hub = LocalHostProcess.NewHubName();
        string prefix = "t" + Guid.NewGuid().ToString("N")[..8];
        var settings = new Dictionary<string, string> { ["Storage__TablePrefix"] = prefix };
        TableClient table = new TableServiceClient(storage).GetTableClient(prefix + "SelfTests");

        string id;
        TableEntity before;
        int firstPid;
        await using (LocalHostProcess first = await LocalHostProcess.StartAsync(storage, hub, "worker-a", settings))
        {
            firstPid = first.ProcessId;
            using HttpResponseMessage started = await first.As(Roles.OrgDepartment, "chifeng").PostAsJsonAsync("api/selftests",
                new { deadlineSeconds = 3600, requestedBy = "before-crash" });
            Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
            id = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
            before = await Poll.UntilAsync(async () =>
            {
                var row = await table.GetEntityIfExistsAsync<TableEntity>("selftest", id);
                return row.HasValue && row.Value!.GetString("Status") == "waiting" ? row.Value : null;
            }, TimeSpan.FromSeconds(30), "the workflow to wait for its event", () => first.Output);
            first.Kill();
        }

        // Same worker id, as `./eval up` after a crash: the new process takes the partition leases back at once.
        await using LocalHostProcess second = await LocalHostProcess.StartAsync(storage, hub, "worker-a", settings);
        Assert.NotEqual(firstPid, second.ProcessId);
        using HttpResponseMessage confirm = await second.As(Roles.OrgDepartment, "chifeng").PostAsJsonAsync(
            $"api/selftests/{id}/confirmation", new { confirmedBy = "after-crash" });
        Assert.Equal(HttpStatusCode.Accepted, confirm.StatusCode);

        TableEntity after = await Poll.UntilAsync(async () =>
        {
            var row = await table.GetEntityIfExistsAsync<TableEntity>("selftest", id);
            return row.HasValue && row.Value!.GetString("Status") == "confirmed" ? row.Value : null;
        }, TimeSpan.FromSeconds(90), "the restarted workflow to complete", () => second.Output);
        Assert.Equal("before-crash", after.GetString("RequestedBy"));
        Assert.Equal(before.GetDateTimeOffset("Deadline"), after.GetDateTimeOffset("Deadline"));
        Assert.Equal("after-crash", after.GetString("ConfirmedBy"));

        // The engine's own record agrees: completed, with the input it was started with.
        var hubTable = new TableServiceClient(storage).GetTableClient(hub + "Instances");
        TableEntity instance = await Poll.UntilAsync(async () =>
        {
            TableEntity row = (await hubTable.GetEntityAsync<TableEntity>(id, "")).Value;
            return row.GetString("RuntimeStatus") == "Completed" ? row : null;
        }, TimeSpan.FromSeconds(30), "the orchestration to complete", () => second.Output);
        Assert.Contains("before-crash", instance.GetString("Input"));
    }
}
