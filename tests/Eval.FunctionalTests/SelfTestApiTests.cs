using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using Eval.FunctionalTests.Infrastructure;
using Eval.Workflows.Domain;

namespace Eval.FunctionalTests;

/// <summary>The self-test workflow through HTTP on the local host, read back from Azurite's tables.</summary>
public sealed class SelfTestApiTests(LocalHostFixture fx) : IClassFixture<LocalHostFixture>, IDisposable
{
    readonly HttpClient http = fx.Host.As(Roles.OrgDepartment, "chifeng");

    public void Dispose() => http.Dispose();

    [Fact]
    public async Task Self_tests_are_for_the_organization_department_only()
    {
        using HttpResponseMessage anonymous = await fx.Http.PostAsJsonAsync("api/selftests", new { deadlineSeconds = 5 });
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        using HttpClient member = fx.Host.As(Roles.Member, "chifeng");
        using HttpResponseMessage forbidden = await member.PostAsJsonAsync("api/selftests", new { deadlineSeconds = 5 });
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
    }

    [Fact]
    public async Task A_second_request_confirms_the_waiting_workflow_and_the_table_shows_it()
    {
        string id = await StartAsync(deadlineSeconds: 600, requestedBy: "operator-1");

        TableEntity waiting = await RowWithStatusAsync(id, "waiting");
        Assert.Equal("operator-1", waiting.GetString("RequestedBy"));

        using HttpResponseMessage confirm = await http.PostAsJsonAsync($"api/selftests/{id}/confirmation",
            new { confirmedBy = "operator-2" });
        Assert.Equal(HttpStatusCode.Accepted, confirm.StatusCode);

        TableEntity confirmed = await RowWithStatusAsync(id, "confirmed");
        Assert.Equal("operator-2", confirmed.GetString("ConfirmedBy"));
        Assert.Equal(waiting.GetDateTimeOffset("Deadline"), confirmed.GetDateTimeOffset("Deadline"));

        JsonElement read = await http.GetFromJsonAsync<JsonElement>($"api/selftests/{id}");
        Assert.Equal("confirmed", read.GetProperty("status").GetString());
        Assert.Equal("operator-2", read.GetProperty("confirmedBy").GetString());
    }

    /// <summary>A start whose answer was lost (its key left "running"): the repeat finds the same self-test, not a new one.</summary>
    [Fact]
    public async Task A_keyed_start_repeated_after_its_answer_was_lost_returns_the_same_self_test()
    {
        const string body = """{"deadlineSeconds":600,"requestedBy":"operator-k"}""";
        string key = "selftest-" + Guid.NewGuid().ToString("N")[..8];
        async Task<JsonElement> Start()
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "api/selftests")
            {
                Content = new StringContent(body, Encoding.UTF8, "application/json"),
            };
            request.Headers.Add("Idempotency-Key", key);
            using HttpResponseMessage r = await http.SendAsync(request);
            Assert.Equal(HttpStatusCode.Accepted, r.StatusCode);
            return await r.Content.ReadFromJsonAsync<JsonElement>();
        }
        JsonElement first = await Start();
        string operation = Hex(System.Security.Cryptography.SHA256.HashData(
            Encoding.UTF8.GetBytes($"{Roles.OrgDepartment}@chifeng\nPOST\n/api/selftests\n{key}")));
        await fx.Table("IdempotencyKeys").UpsertEntityAsync(new TableEntity(operation, "")
        {
            ["BodyHash"] = Hex(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(body))), ["State"] = "running",
            ["At"] = DateTimeOffset.UtcNow.AddMinutes(-1),
        }, TableUpdateMode.Replace);

        JsonElement again = await Start();
        Assert.Equal(first.GetProperty("id").GetString(), again.GetProperty("id").GetString());
        Assert.Equal(first.GetProperty("deadline").GetDateTimeOffset(), again.GetProperty("deadline").GetDateTimeOffset());
    }

    static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);

    [Fact]
    public async Task Without_a_confirmation_the_durable_timer_expires_the_workflow()
    {
        string id = await StartAsync(deadlineSeconds: 2, requestedBy: null);
        TableEntity expired = await RowWithStatusAsync(id, "expired");
        Assert.Null(expired.GetString("ConfirmedBy"));
        Assert.True(expired.GetDateTimeOffset("At") >= expired.GetDateTimeOffset("Deadline"));
    }

    [Fact]
    public async Task Confirming_twice_is_a_conflict_and_changes_nothing()
    {
        string id = await StartAsync(deadlineSeconds: 600, requestedBy: null);
        await RowWithStatusAsync(id, "waiting");
        (await http.PostAsJsonAsync($"api/selftests/{id}/confirmation", new { confirmedBy = "first" })).EnsureSuccessStatusCode();
        TableEntity first = await RowWithStatusAsync(id, "confirmed");

        using HttpResponseMessage again = await http.PostAsJsonAsync($"api/selftests/{id}/confirmation", new { confirmedBy = "second" });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("application/problem+json", again.Content.Headers.ContentType?.MediaType);
        await Task.Delay(1500);
        TableEntity after = (await fx.Table("SelfTests").GetEntityAsync<TableEntity>("selftest", id)).Value;
        Assert.Equal("first", after.GetString("ConfirmedBy"));
        Assert.Equal(first.ETag, after.ETag);
    }

    [Theory]
    [InlineData("{\"deadlineSeconds\":0}", "application/json", 422)]
    [InlineData("{\"deadlineSeconds\":99999999}", "application/json", 422)]
    [InlineData("{\"deadlineSeconds\":\"soon\"}", "application/json", 422)]
    [InlineData("{\"deadlineSeconds\":5,\"extra\":1}", "application/json", 422)]
    [InlineData("{\"deadlineSeconds\":", "application/json", 422)]
    [InlineData("{\"deadlineSeconds\":5}", "text/plain", 415)]
    [InlineData("", "application/json", 400)]
    public async Task Bad_start_requests_get_problem_details(string body, string contentType, int status)
    {
        using var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = new(contentType);
        using HttpResponseMessage r = await http.PostAsync("api/selftests", content);
        Assert.Equal(status, (int)r.StatusCode);
        Assert.Equal("application/problem+json", r.Content.Headers.ContentType?.MediaType);
        JsonElement problem = await r.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(status, problem.GetProperty("status").GetInt32());
    }

    [Theory]
    [InlineData("selftest-00000000000000000000000000000000")]
    [InlineData("nope' or PartitionKey ne '")]
    public async Task Unknown_self_tests_are_not_found(string id)
    {
        using HttpResponseMessage get = await http.GetAsync($"api/selftests/{Uri.EscapeDataString(id)}");
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        using HttpResponseMessage confirm = await http.PostAsJsonAsync($"api/selftests/{Uri.EscapeDataString(id)}/confirmation", new { });
        Assert.Equal(HttpStatusCode.NotFound, confirm.StatusCode);
    }

    async Task<string> StartAsync(int deadlineSeconds, string? requestedBy)
    {
        using HttpResponseMessage r = await http.PostAsJsonAsync("api/selftests", new { deadlineSeconds, requestedBy });
        Assert.Equal(HttpStatusCode.Accepted, r.StatusCode);
        JsonElement body = await r.Content.ReadFromJsonAsync<JsonElement>();
        string id = body.GetProperty("id").GetString()!;
        Assert.Equal($"/api/selftests/{id}", r.Headers.Location?.OriginalString);
        return id;
    }

    Task<TableEntity> RowWithStatusAsync(string id, string status) => Poll.UntilAsync(async () =>
    {
        var row = await fx.Table("SelfTests").GetEntityIfExistsAsync<TableEntity>("selftest", id);
        return row.HasValue && row.Value!.GetString("Status") == status ? row.Value : null;
    }, TimeSpan.FromSeconds(30), $"self-test {id} to be {status}");
}
