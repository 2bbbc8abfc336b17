using System.Globalization;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;

namespace Eval.Web.Services;

/// <summary>Chinese by default, English on request; the choice is kept in the browser and applied at start.</summary>
public sealed class Language(IJSRuntime js, NavigationManager nav)
{
    const string StorageKey = "eval.lang";

    public const string Chinese = "zh-CN";
    public const string English = "en";

    public static bool IsEnglish => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == English;

    /// <summary>Sets the culture before the first render, and the page's lang attribute for screen readers.</summary>
    public static async Task ApplyStoredAsync(IJSRuntime js)
    {
        string name = await js.InvokeAsync<string?>("localStorage.getItem", StorageKey) == English ? English : Chinese;
        var culture = CultureInfo.GetCultureInfo(name);
        CultureInfo.DefaultThreadCurrentCulture = culture;
        CultureInfo.DefaultThreadCurrentUICulture = culture;
        await js.InvokeVoidAsync("evalApp.setLanguage", name);
    }

    /// <summary>Switches and reloads: resources and formats are chosen once, at start.</summary>
    public async Task SwitchAsync()
    {
        await js.InvokeVoidAsync("localStorage.setItem", StorageKey, IsEnglish ? Chinese : English);
        nav.NavigateTo(nav.Uri, forceLoad: true);
    }
}
