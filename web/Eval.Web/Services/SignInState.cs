using System.Text.Json;
using Microsoft.JSInterop;

namespace Eval.Web.Services;

/// <summary>Who is signed in: the token the API is called with, and the role and unit it carries.</summary>
public sealed record Session(string Token, DateTimeOffset ExpiresAt, string Role, string Unit, string UnitName, string Name)
{
    /// <summary>The token's subject (sub): who the API records as having acted, e.g. on a scoring panel.</summary>
    public string? Subject
    {
        get
        {
            string[] parts = Token.Split('.');
            if (parts.Length != 3) return null;
            try
            {
                string payload = parts[1].Replace('-', '+').Replace('_', '/');
                payload = payload.PadRight(payload.Length + (4 - payload.Length % 4) % 4, '=');
                using JsonDocument claims = JsonDocument.Parse(Convert.FromBase64String(payload));
                return claims.RootElement.TryGetProperty("sub", out JsonElement sub) ? sub.GetString() : null;
            }
            catch (Exception e) when (e is FormatException or JsonException) { return null; }
        }
    }
}

/// <summary>
/// The signed-in session, kept in the browser's local storage so that a secretary who closes the tab on a phone comes
/// back signed in until the token expires. Components listen to <see cref="Changed"/>.
/// </summary>
public sealed class SignInState(IJSRuntime js, TimeProvider clock)
{
    const string StorageKey = "eval.session";

    public Session? Current { get; private set; }

    public event Action? Changed;

    /// <summary>Restores a stored session, dropping one that has expired.</summary>
    public async Task LoadAsync()
    {
        string? stored = await js.InvokeAsync<string?>("localStorage.getItem", StorageKey);
        Session? session = null;
        // A stored session this version cannot read is dropped, as an expired one is: the reader signs in again.
        try { session = stored is null ? null : JsonSerializer.Deserialize<Session>(stored); }
        catch (JsonException) { }
        if (session is not null && session.ExpiresAt <= clock.GetUtcNow()) session = null;
        if (session is null && stored is not null) await js.InvokeVoidAsync("localStorage.removeItem", StorageKey);
        Current = session;
    }

    public async Task SignInAsync(Session session)
    {
        await js.InvokeVoidAsync("localStorage.setItem", StorageKey, JsonSerializer.Serialize(session));
        Current = session;
        Changed?.Invoke();
    }

    public async Task SignOutAsync()
    {
        await js.InvokeVoidAsync("localStorage.removeItem", StorageKey);
        Current = null;
        Changed?.Invoke();
    }
}
