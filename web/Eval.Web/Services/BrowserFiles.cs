using Microsoft.JSInterop;

namespace Eval.Web.Services;

/// <summary>
/// A file chosen in the page, sent straight to storage through the upload URL the API gave for it (PUT), with progress:
/// the bytes never pass through the API, and a phone on a slow line sees how far it has got.
/// </summary>
public sealed class FileUploads(IJSRuntime js)
{
    /// <summary>PUTs the file chosen in input <paramref name="inputId"/>; the storage's HTTP status, 0 without an answer.</summary>
    public async Task<int> PutAsync(string inputId, EvidenceSlot slot, Action<int> percent)
    {
        using var progress = DotNetObjectReference.Create(new Progress(percent));
        return await js.InvokeAsync<int>("evalApp.upload", TimeSpan.FromHours(1), inputId, 0, slot.UploadUrl, slot.UploadHeaders, progress);
    }

    /// <summary>
    /// A file the API hands out as a redirect to storage, fetched with the session's token into an address the page may show
    /// it from (an image, a PDF); release it with <see cref="ReleaseAsync"/>. Null with the status when it could not be read.
    /// </summary>
    public async Task<(string? Url, int Status)> ShowAsync(Uri file, string? token)
    {
        Shown shown = await js.InvokeAsync<Shown>("evalApp.objectUrl", file.AbsoluteUri, token ?? "");
        return (shown.Url, shown.Status);
    }

    public ValueTask ReleaseAsync(string url) => js.InvokeVoidAsync("evalApp.revokeObjectUrl", url);

    /// <summary>Saves a file the API writes (an export) on the device, under the name the API gives; the HTTP status.</summary>
    public ValueTask<int> DownloadAsync(Uri file, string? token) => js.InvokeAsync<int>("evalApp.download", file.AbsoluteUri, token ?? "");

    sealed record Shown(int Status, string? Url);

    sealed class Progress(Action<int> percent)
    {
        [JSInvokable] public void Report(int value) => percent(value);
    }
}
