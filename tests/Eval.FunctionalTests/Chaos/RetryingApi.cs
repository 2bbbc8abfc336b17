using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Eval.FunctionalTests.Infrastructure;

namespace Eval.FunctionalTests.Chaos;

/// <summary>
/// A client as a careful integrator would write one: every POST carries an Idempotency-Key, and a request that
/// dies with its connection (the host was killed), times out, or gets a 5xx or a "try again shortly" 409 is sent
/// again with the same key until it gets a definite answer. Counts what it sent.
/// </summary>
public sealed class RetryingApi(Uri baseAddress) : IDisposable
{
    readonly HttpClient http = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromSeconds(30) })
    {
        BaseAddress = baseAddress,
        Timeout = TimeSpan.FromSeconds(20),
    };

    int requests, retries;
    public int Requests => requests;
    public int Retries => retries;

    public sealed record Answer(HttpStatusCode Status, JsonElement Body)
    {
        public bool IsSuccess => (int)Status is >= 200 and < 300;
    }

    public Task<Answer> PostAsync(AuthenticationHeaderValue token, string path, object body, string idempotencyKey) =>
        SendAsync(HttpMethod.Post, token, path, body, idempotencyKey);

    public Task<Answer> PutAsync(AuthenticationHeaderValue token, string path, object body, string idempotencyKey) =>
        SendAsync(HttpMethod.Put, token, path, body, idempotencyKey);

    public Task<Answer> GetAsync(AuthenticationHeaderValue token, string path) => SendAsync(HttpMethod.Get, token, path, null, null);

    async Task<Answer> SendAsync(HttpMethod method, AuthenticationHeaderValue token, string path, object? body, string? idempotencyKey)
    {
        TimeSpan backoff = TimeSpan.FromMilliseconds(200);
        var deadline = DateTime.UtcNow.AddMinutes(5);
        for (int attempt = 0; ; attempt++)
        {
            if (attempt > 0)
            {
                Interlocked.Increment(ref retries);
                if (DateTime.UtcNow > deadline) throw new TimeoutException($"{method} {path} got no definite answer within 5 minutes.");
                await Task.Delay(backoff);
                backoff = TimeSpan.FromMilliseconds(Math.Min(backoff.TotalMilliseconds * 2, 2000));
            }
            Interlocked.Increment(ref requests);
            using var request = new HttpRequestMessage(method, path);
            request.Headers.Authorization = token;
            if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
            if (body is not null) request.Content = JsonContent.Create(body);
            try
            {
                using HttpResponseMessage response = await http.SendAsync(request);
                string text = await response.Content.ReadAsStringAsync();
                JsonElement json = text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
                if ((int)response.StatusCode >= 500) continue;
                if (response.StatusCode == HttpStatusCode.Conflict && IsTransient(json)) continue;
                return new Answer(response.StatusCode, json);
            }
            catch (HttpRequestException) { }        // connection refused or reset: the host is down or restarting
            catch (TaskCanceledException) { }       // no answer in time: the host died mid-request
            catch (JsonException) { }               // a body cut off by the kill
        }
    }

    /// <summary>The 409s that say "not yet" rather than "no": the first request with the key is still running, or the campaign is starting.</summary>
    static bool IsTransient(JsonElement problem) =>
        problem.ValueKind == JsonValueKind.Object && problem.TryGetProperty("detail", out JsonElement d) &&
        d.GetString() is { } detail && detail.Contains("try again shortly", StringComparison.Ordinal);

    public static AuthenticationHeaderValue Token(string role, string unit, string? sub = null) => TestTokens.Bearer(role, unit, sub);

    public void Dispose() => http.Dispose();
}
