using System.Globalization;
using Eval.Web.Services;

namespace Eval.WebTests;

/// <summary>A component test in the app's default language: the words the tests look for are the Chinese ones.</summary>
public abstract class ChineseCulture : BunitContext, IAsyncLifetime
{
    protected ChineseCulture()
    {
        var chinese = CultureInfo.GetCultureInfo("zh-CN");
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = chinese;
        CultureInfo.DefaultThreadCurrentCulture = CultureInfo.DefaultThreadCurrentUICulture = chinese;
        Api.AddTo(this);
    }

    protected StubApi Api { get; } = new();

    /// <summary>Signs in as <paramref name="role"/> at <paramref name="unit"/> for the next component rendered.</summary>
    protected Task SignInAsAsync(string role, string unit) => Services.GetRequiredService<SignInState>().SignInAsync(
        new Session("t", DateTimeOffset.UtcNow.AddHours(1), role, unit, unit, role));

    public Task InitializeAsync() => Task.CompletedTask;

    /// <summary>MudBlazor's services are disposed asynchronously only, which xUnit's Dispose would not do.</summary>
    Task IAsyncLifetime.DisposeAsync() => base.DisposeAsync().AsTask();
}
