using Microsoft.JSInterop;

namespace Eval.Web.Services;

/// <summary>
/// Files between the page and storage. A file chosen in the page goes straight to storage through the upload URL the API
/// gave for it (PUT), with progress: the bytes never pass through the API, and a phone on a slow line sees how far it has
/// got. A file the API hands out (evidence, an export) is fetched by the page with the session's token in a header.
/// </summary>
public sealed class BrowserFiles(IJSRuntime js, EvalApi api, SignInState session)
{
    /// <summary>PUTs the file chosen in input <paramref name="inputId"/>; the storage's HTTP status, 0 without an answer.</summary>
    public async Task<int> PutAsync(string inputId, EvidenceSlot slot, Action<int> percent)
    {
        using var progress = DotNetObjectReference.Create(new Progress(percent));
        return await js.InvokeAsync<int>("evalApp.upload", TimeSpan.FromHours(1), inputId, 0, slot.UploadUrl, slot.UploadHeaders, progress);
    }

    /// <summary>
    /// A file the API hands out at <paramref name="path"/> as a redirect to storage, fetched into an address the page may show
    /// it from (an image, a PDF); release it with <see cref="ReleaseAsync"/>. Without it, the problem that kept it.
    /// </summary>
    public async Task<(string? Url, ApiProblem? Problem)> ShowAsync(string path)
    {
        Shown shown = await js.InvokeAsync<Shown>("evalApp.objectUrl", api.Address(path).AbsoluteUri, session.Current?.Token ?? "");
        return shown.Url is null ? (null, Failed(shown.Status)) : (shown.Url, null);
    }

    public ValueTask ReleaseAsync(string url) => js.InvokeVoidAsync("evalApp.revokeObjectUrl", url);

    /// <summary>Saves a file the API writes at <paramref name="path"/> (an export) on the device, under the name the API gives.</summary>
    /// <returns>The problem that kept it, or null once saved.</returns>
    public async Task<ApiProblem?> DownloadAsync(string path)
    {
        int status = await js.InvokeAsync<int>("evalApp.download", api.Address(path).AbsoluteUri, session.Current?.Token ?? "");
        return status is >= 200 and < 300 ? null : Failed(status);
    }

    static ApiProblem Failed(int status) => new(status, null, null, null, []);

    sealed record Shown(int Status, string? Url);

    sealed class Progress(Action<int> percent)
    {
        [JSInvokable] public void Report(int value) => percent(value);
    }
}
