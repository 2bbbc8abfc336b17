using System.Globalization;

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

    public Task InitializeAsync() => Task.CompletedTask;

    /// <summary>MudBlazor's services are disposed asynchronously only, which xUnit's Dispose would not do.</summary>
    Task IAsyncLifetime.DisposeAsync() => base.DisposeAsync().AsTask();
}
