using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Eval.FunctionalTests.Infrastructure;

namespace Eval.FunctionalTests.Chaos;

/// <summary>
/// A client as a careful integrator would write one: every POST carries an Idempotency-Key, and a request that
/// dies with its connection (the host was killed), times out, or gets a 5xx or a "try again shortly" 409 is sent
/// again with the same key until it gets a definite answer. Counts what it sent. <paramref name="abort"/> ends every
/// request at once (the run failed elsewhere, so waiting for an answer would only hide why).
/// </summary>
public sealed class RetryingApi(Uri baseAddress, CancellationToken abort = default) : IDisposable
{
    readonly HttpClient http = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromSeconds(30) })
    {
        BaseAddress = baseAddress,
        Timeout = TimeSpan.FromSeconds(20),
    };

    int requests, retries, inFlight;
    public int Requests => requests;
    public int Retries => retries;

    /// <summary>Requests sent and not answered yet.</summary>
    public int InFlight => inFlight;

    /// <summary>
    /// Called before the first attempt of each POST and PUT: the chaos run's <see cref="KillSchedule"/> kills the host
    /// at given writes.
    /// </summary>
    public Action? BeforeWrite { get; set; }

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
        if (idempotencyKey is not null) BeforeWrite?.Invoke();
        for (int attempt = 0; ; attempt++)
        {
            if (attempt > 0)
            {
                Interlocked.Increment(ref retries);
                if (DateTime.UtcNow > deadline) throw new TimeoutException($"{method} {path} got no definite answer within 5 minutes.");
                await Task.Delay(backoff, abort);
                backoff = TimeSpan.FromMilliseconds(Math.Min(backoff.TotalMilliseconds * 2, 2000));
            }
            Interlocked.Increment(ref requests);
            using var request = new HttpRequestMessage(method, path);
            request.Headers.Authorization = token;
            if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
            if (body is not null) request.Content = JsonContent.Create(body);
            Interlocked.Increment(ref inFlight);
            try
            {
                using HttpResponseMessage response = await http.SendAsync(request, abort);
                string text = await response.Content.ReadAsStringAsync(abort);
                JsonElement json = text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
                if ((int)response.StatusCode >= 500) continue;
                if (response.StatusCode == HttpStatusCode.Conflict && IsTransient(json)) continue;
                return new Answer(response.StatusCode, json);
            }
            catch (HttpRequestException) { }                                       // connection refused or reset: the host is down
            catch (TaskCanceledException) when (!abort.IsCancellationRequested) { } // no answer in time: the host died mid-request
            catch (JsonException) { }                                              // a body cut off by the kill
            finally { Interlocked.Decrement(ref inFlight); }
        }
    }

    /// <summary>
    /// The 409s that say "not yet" rather than "no": the first request with the key is still running, or the campaign is starting.
    /// </summary>
    static bool IsTransient(JsonElement problem) =>
        problem.ValueKind == JsonValueKind.Object && problem.TryGetProperty("detail", out JsonElement d) &&
        d.GetString() is { } detail && detail.Contains("try again shortly", StringComparison.Ordinal);

    public static AuthenticationHeaderValue Token(string role, string unit, string? sub = null) => TestTokens.Bearer(role, unit, sub);

    public void Dispose() => http.Dispose();
}
