using Eval.Web.Services;
using Microsoft.AspNetCore.Components;

namespace Eval.Web.Shared;

/// <summary>A component that shows who is signed in, and so renders again when someone signs in or out.</summary>
public abstract class SessionAware : ComponentBase, IDisposable
{
    [Inject] protected SignInState Session { get; set; } = default!;

    protected override void OnInitialized() => Session.Changed += StateHasChanged;

    public void Dispose()
    {
        Session.Changed -= StateHasChanged;
        GC.SuppressFinalize(this);
    }
}
