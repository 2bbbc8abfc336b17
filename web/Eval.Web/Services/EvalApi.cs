using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Eval.Web.Services;

/// <summary>
/// The Eval HTTP API as the app calls it: the signed-in session's token on every request, JSON both ways, and every
/// refusal as an <see cref="ApiException"/> carrying the problem, never a raw response.
/// </summary>
public sealed class EvalApi(HttpClient http, SignInState session)
{
    /// <summary>The API's JSON: camelCase names, as the problem bodies and every resource use.</summary>
    /// <remarks>Nulls are left out of bodies: the API's schemas take an absent optional field, not always a null one.</remarks>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    public Task<T> GetAsync<T>(string path, CancellationToken ct = default) => SendAsync<T>(HttpMethod.Get, path, null, null, ct);

    /// <summary>The absolute address of an API path, for what the page fetches itself (a file to show).</summary>
    public Uri Address(string path) => new(http.BaseAddress!, path.TrimStart('/'));

    /// <param name="idempotencyKey">
    /// Sent as Idempotency-Key, so a retried decision is applied once: <see cref="KeyOf"/> gives the same key to the same decision.
    /// </param>
    public Task<T> PostAsync<T>(string path, object? body, string? idempotencyKey = null, CancellationToken ct = default) =>
        SendAsync<T>(HttpMethod.Post, path, body, idempotencyKey, ct);

    /// <summary>
    /// An Idempotency-Key for a decision: the same for the same body on the same resource in the same round (a click
    /// retried after no answer), another for a changed body (a form corrected after a refusal) or a later round (the same
    /// self-assessment sent again after a return must not be answered by the first one's kept success).
    /// </summary>
    public static string KeyOf(string path, int round, object body)
    {
        byte[] bytes = System.Text.Encoding.UTF8.GetBytes($"{path}\n{round}\n{JsonSerializer.Serialize(body, Json)}");
        return "web-" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes))[..32];
    }

    /// <summary>A PUT whose answer is not needed beyond its success.</summary>
    public Task PutAsync(string path, object? body, CancellationToken ct = default) =>
        SendAsync<bool>(HttpMethod.Put, path, body, null, ct, readAnswer: false);

    /// <summary>A POST whose answer is not needed beyond its success (202 with a status document, or none).</summary>
    public Task PostAsync(string path, object? body, string? idempotencyKey = null, CancellationToken ct = default) =>
        SendAsync<bool>(HttpMethod.Post, path, body, idempotencyKey, ct, readAnswer: false);

    async Task<T> SendAsync<T>(HttpMethod method, string path, object? body, string? idempotencyKey, CancellationToken ct,
        bool readAnswer = true)
    {
        using var request = new HttpRequestMessage(method, path.TrimStart('/'));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (session.Current is { } signedIn) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", signedIn.Token);
        if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
        if (body is not null) request.Content = JsonContent.Create(body, options: Json);

        HttpResponseMessage response;
        try { response = await http.SendAsync(request, ct); }
        catch (HttpRequestException e)
        {
            throw new ApiException(new ApiProblem(ApiProblem.Unreachable, null, null, e.Message, []));
        }
        using (response)
        {
            if (!response.IsSuccessStatusCode) throw new ApiException(await ApiProblem.ReadAsync(response, ct));
            if (!readAnswer) return default!;
            return await response.Content.ReadFromJsonAsync<T>(Json, ct)
                ?? throw new ApiException(new ApiProblem((int)response.StatusCode, null, null, "The answer was empty.", []));
        }
    }
}
