using System.Text.Json;
using Microsoft.JSInterop;

namespace Eval.Web.Services;

/// <summary>
/// Forms being filled in, kept in the browser's local storage as they change, so a secretary whose phone drops the page
/// (a call, a lost signal, a closed tab) finds the form as it was left. Removed once the form is sent.
/// </summary>
public sealed class Drafts(IJSRuntime js)
{
    const string Prefix = "eval.draft.";

    public async Task<T?> LoadAsync<T>(string key) where T : class
    {
        string? stored = await js.InvokeAsync<string?>("localStorage.getItem", Prefix + key);
        try { return stored is null ? null : JsonSerializer.Deserialize<T>(stored, EvalApi.Json); }
        catch (JsonException) { return null; } // a draft of an older version of the form is dropped
    }

    public ValueTask SaveAsync<T>(string key, T draft) =>
        js.InvokeVoidAsync("localStorage.setItem", Prefix + key, JsonSerializer.Serialize(draft, EvalApi.Json));

    public ValueTask RemoveAsync(string key) => js.InvokeVoidAsync("localStorage.removeItem", Prefix + key);
}
