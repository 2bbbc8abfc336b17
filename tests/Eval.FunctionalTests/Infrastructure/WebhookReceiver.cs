using System.Collections.Concurrent;
using System.Diagnostics;
using Eval.LocalHost;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Eval.FunctionalTests.Infrastructure;

/// <summary>
/// A webhook receiver on this machine (Kestrel on 127.0.0.1, plain http: the hosts that post to it allow private targets),
/// as a city's relay would be: each path answers as its test says (200, a 5xx, or too late), and every request that
/// arrives is kept with its headers, its body and when it came.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    /// <summary>One request as it arrived.</summary>
    public sealed record Received(string Path, IReadOnlyDictionary<string, string> Headers, string Body, TimeSpan At);

    /// <summary>What a path answers its <c>n</c>th request (0 first): a status, after an optional delay.</summary>
    public delegate (int Status, TimeSpan Delay) Responder(int n);

    readonly WebApplication app;
    readonly ConcurrentDictionary<string, Responder> responders = new(StringComparer.Ordinal);
    readonly ConcurrentQueue<Received> received = new();
    readonly Stopwatch clock = Stopwatch.StartNew();

    WebhookReceiver(WebApplication app, int port)
    {
        this.app = app;
        BaseUrl = $"http://127.0.0.1:{port}";
    }

    public string BaseUrl { get; }

    public static async Task<WebhookReceiver> StartAsync()
    {
        int port = FreePort.Next();
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        WebApplication app = builder.Build();
        var receiver = new WebhookReceiver(app, port);
        app.Run(receiver.HandleAsync);
        await app.StartAsync();
        return receiver;
    }

    /// <summary>A new path on this receiver, answering as <paramref name="responder"/> says (200 at once by default).</summary>
    public string NewEndpoint(Responder? responder = null)
    {
        string path = "/hook/" + Guid.NewGuid().ToString("N")[..12];
        responders[path] = responder ?? (_ => (200, TimeSpan.Zero));
        return path;
    }

    /// <summary>Changes how a path answers from now on.</summary>
    public void Answer(string path, Responder responder) => responders[path] = responder;

    /// <summary>The requests to a path so far, in the order they arrived.</summary>
    public IReadOnlyList<Received> To(string path) => [.. received.Where(r => r.Path == path)];

    async Task HandleAsync(HttpContext context)
    {
        string path = context.Request.Path.Value ?? "";
        using var reader = new StreamReader(context.Request.Body);
        string body = await reader.ReadToEndAsync(context.RequestAborted);
        var headers = context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString(), StringComparer.Ordinal);
        int n;
        lock (received)
        {
            n = received.Count(r => r.Path == path);
            received.Enqueue(new Received(path, headers, body, clock.Elapsed));
        }
        var (status, delay) = responders.TryGetValue(path, out Responder? responder) ? responder(n) : (404, TimeSpan.Zero);
        try
        {
            if (delay > TimeSpan.Zero) await Task.Delay(delay, context.RequestAborted);
            context.Response.StatusCode = status;
        }
        catch (OperationCanceledException)
        {
            // The sender gave up waiting: what it was meant to see.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
