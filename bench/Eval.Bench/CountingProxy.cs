using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Eval.Bench;

/// <summary>
/// A reverse proxy in front of Azurite that counts what passes: one loopback port per service (blob, queue, table),
/// each request forwarded as it came (method, path, query, headers, streamed body) to Azurite's port for that
/// service, and the answer copied back (status, headers, streamed body). The shared-key signature covers the path
/// and a few headers, not the host or port, so clients signed for the proxy's address are accepted by Azurite.
/// Every request is counted under the phase that is current when it arrives (see <see cref="Phase"/>).
/// </summary>
public sealed class CountingProxy : IAsyncDisposable
{
    public static readonly string[] Services = ["blob", "queue", "table"];

    static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Transfer-Encoding", "TE", "Trailer", "Upgrade", "Proxy-Authorization", "Proxy-Authenticate", "Host",
    };

    readonly WebApplication app;
    readonly HttpMessageInvoker upstream;
    readonly Dictionary<int, (string Service, int Target)> routes = [];
    readonly ConcurrentDictionary<(string Phase, string Operation), long> counts = new();
    readonly ConcurrentDictionary<(string Phase, string Operation), (long Sent, long Answered)> bytes = new();

    /// <summary>Requests are counted under this name; the bench sets it before each workload.</summary>
    public volatile string Phase = "setup";

    CountingProxy(WebApplication app, HttpMessageInvoker upstream)
    {
        this.app = app;
        this.upstream = upstream;
    }

    public int BlobPort { get; private set; }
    public int QueuePort { get; private set; }
    public int TablePort { get; private set; }
    /// <summary>Requests Azurite did not answer (the proxy answered 502), in all phases.</summary>
    public long Errors => Failures.Values.Sum();

    public string ConnectionString => BenchOptions.ConnectionString(BlobPort, QueuePort, TablePort);

    public static async Task<CountingProxy> StartAsync(int blob, int queue, int table)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<Microsoft.Extensions.Hosting.IHostLifetime, NoConsoleLifetime>();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = null;
            k.Limits.MinRequestBodyDataRate = null;
            k.Limits.MinResponseDataRate = null;
            for (int i = 0; i < 3; i++) k.Listen(System.Net.IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http1);
        });
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            UseCookies = false,
            AutomaticDecompression = System.Net.DecompressionMethods.None,
            // Below Azurite's keep-alive (5 s): a connection Azurite is closing must not be picked for the next request.
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(4),
            ConnectTimeout = TimeSpan.FromSeconds(10),
        };
        WebApplication app = builder.Build();
        var proxy = new CountingProxy(app, new HttpMessageInvoker(handler));
        app.Run(proxy.ForwardAsync);
        await app.StartAsync();

        int[] ports = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
            .Features.Get<IServerAddressesFeature>()!.Addresses.Select(a => new Uri(a).Port).ToArray();
        if (ports.Length != 3) throw new InvalidOperationException($"The proxy opened {ports.Length} ports, not 3.");
        proxy.BlobPort = ports[0]; proxy.QueuePort = ports[1]; proxy.TablePort = ports[2];
        proxy.routes[ports[0]] = ("blob", blob);
        proxy.routes[ports[1]] = ("queue", queue);
        proxy.routes[ports[2]] = ("table", table);
        return proxy;
    }

    async Task ForwardAsync(HttpContext context)
    {
        HttpRequest request = context.Request;
        (string service, int target) = routes[context.Connection.LocalPort];
        string operation = Operation(service, request);
        string phase = Phase;
        Tally(phase, operation);
        TallyBytes(phase, operation, request.ContentLength ?? 0, 0);

        using var forward = new HttpRequestMessage(new HttpMethod(request.Method),
            new Uri($"http://127.0.0.1:{target}{request.PathBase}{request.Path}{request.QueryString}"));
        forward.Version = System.Net.HttpVersion.Version11;
        // A body (or an empty one with its Content-Length: 0, which the shared-key signature may cover) goes along.
        if (request.ContentLength is not null || request.Headers.TransferEncoding.Count > 0)
            forward.Content = request.ContentLength == 0 ? new ByteArrayContent([]) : new StreamContent(request.Body);
        foreach (var (name, values) in request.Headers)
        {
            if (HopByHop.Contains(name)) continue;
            if (name.StartsWith("Content-", StringComparison.OrdinalIgnoreCase))
                forward.Content?.Headers.TryAddWithoutValidation(name, (IEnumerable<string>)values);
            else
                forward.Headers.TryAddWithoutValidation(name, (IEnumerable<string>)values);
        }

        HttpResponseMessage answer;
        try
        {
            answer = await upstream.SendAsync(forward, context.RequestAborted);
        }
        catch (Exception) when (!context.RequestAborted.IsCancellationRequested)
        {
            Tally(phase, operation + FailedSuffix);
            context.Response.StatusCode = StatusCodes.Status502BadGateway;
            return;
        }
        using (answer)
        {
            HttpResponse response = context.Response;
            response.StatusCode = (int)answer.StatusCode;
            bool bodyless = answer.StatusCode is System.Net.HttpStatusCode.NoContent or System.Net.HttpStatusCode.NotModified;
            foreach (var (name, values) in answer.Headers)
                if (!HopByHop.Contains(name)) response.Headers[name] = values.ToArray();
            foreach (var (name, values) in answer.Content.Headers)
                if (!(bodyless && name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)))
                    response.Headers[name] = values.ToArray();
            if (bodyless || HttpMethods.IsHead(request.Method)) return;
            TallyBytes(phase, operation, 0, answer.Content.Headers.ContentLength ?? 0);
            if (IsDequeue(service, request))
            {
                // A dequeue's answer is small: read it whole to count the polls that found the queue empty.
                byte[] list = await answer.Content.ReadAsByteArrayAsync(context.RequestAborted);
                if (list.AsSpan().IndexOf("<QueueMessage>"u8) < 0)
                    Tally(phase, operation + EmptySuffix);
                await response.Body.WriteAsync(list, context.RequestAborted);
                return;
            }
            await using Stream body = await answer.Content.ReadAsStreamAsync(context.RequestAborted);
            await body.CopyToAsync(response.Body, context.RequestAborted);
        }
    }

    /// <summary>
    /// "table GET Evaluations", "table POST $batch", "queue DELETE" ...: enough to see what a workload spends its requests on.
    /// </summary>
    static string Operation(string service, HttpRequest request)
    {
        string path = request.Path.Value ?? "";
        string op = $"{service} {request.Method}";
        if (service == "table" && path.EndsWith("/$batch", StringComparison.Ordinal)) return op + " $batch";
        if (service == "table" && TableOf(path) is { } table) return $"{op} {table}";
        if (service == "queue" && path.EndsWith("/messages", StringComparison.Ordinal)) return $"{op} messages{QueueKind(path)}";
        if (service == "queue" && path.Contains("/messages/", StringComparison.Ordinal)) return op + " message";
        if (service == "blob" && request.Query.TryGetValue("comp", out var comp)) return $"{op} comp={comp}";
        return op;
    }

    void Tally(string phase, string operation) => counts.AddOrUpdate((phase, operation), 1, (_, n) => n + 1);

    void TallyBytes(string phase, string operation, long sent, long answered) =>
        bytes.AddOrUpdate((phase, operation), (sent, answered), (_, b) => (b.Sent + sent, b.Answered + answered));

    /// <summary>
    /// The body bytes of <paramref name="operation"/> ("blob PUT", "blob GET") under <paramref name="phase"/>: sent to Azurite
    /// and answered by it, as their Content-Length headers declared them.
    /// </summary>
    public (long Sent, long Answered) Bytes(string phase, string operation) => bytes.GetValueOrDefault((phase, operation));

    const string EmptySuffix = " (empty)";
    const string FailedSuffix = " (failed)";

    static bool IsDequeue(string service, HttpRequest request) =>
        service == "queue" && HttpMethods.IsGet(request.Method)
            && (request.Path.Value ?? "").EndsWith("/messages", StringComparison.Ordinal)
        && !request.Query.ContainsKey("peekonly");

    /// <summary>" control" or " workitems" for a task hub's queues (named hub-control-NN and hub-workitems), else "".</summary>
    static string QueueKind(string path) =>
        path.Contains("-control-", StringComparison.Ordinal) ? " control"
        : path.Contains("-workitems/", StringComparison.Ordinal) ? " workitems" : "";

    /// <summary>The table a path like /account/Name(PartitionKey='…',RowKey='…') or /account/Name() names.</summary>
    static string? TableOf(string path)
    {
        string[] segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length < 2) return null;
        string name = Uri.UnescapeDataString(segments[1]);
        int paren = name.IndexOf('(');
        return paren > 0 ? name[..paren] : name;
    }

    /// <summary>Requests counted under <paramref name="phase"/>: total, per service and per operation.</summary>
    public PhaseCount Count(string phase) => Count(p => p == phase);

    /// <summary>Requests counted under every phase <paramref name="include"/> accepts, added up.</summary>
    public PhaseCount Count(Func<string, bool> include)
    {
        var ops = counts.Where(c => include(c.Key.Phase)).GroupBy(c => c.Key.Operation).ToDictionary(g => g.Key, g => g.Sum(c => c.Value));
        // "(empty)" and "(failed)" rows count requests already counted, by how they ended.
        var requests = ops.Where(o => !o.Key.EndsWith(EmptySuffix, StringComparison.Ordinal)
            && !o.Key.EndsWith(FailedSuffix, StringComparison.Ordinal)).ToList();
        return new PhaseCount(
            requests.Sum(o => o.Value),
            Services.ToDictionary(s => s, s => requests.Where(o => o.Key.StartsWith(s + " ", StringComparison.Ordinal)).Sum(o => o.Value)),
            ops.OrderByDescending(o => o.Value).ToDictionary(o => o.Key, o => o.Value));
    }

    /// <summary>Requests Azurite did not answer (the proxy answered 502), as "phase: operation" with their count.</summary>
    public Dictionary<string, long> Failures => counts.Where(c => c.Key.Operation.EndsWith(FailedSuffix, StringComparison.Ordinal))
        .OrderBy(c => c.Key.Phase, StringComparer.Ordinal)
        .ToDictionary(c => $"{c.Key.Phase}: {c.Key.Operation[..^FailedSuffix.Length]}", c => c.Value);

    public IReadOnlyList<string> Phases => counts.Keys.Select(k => k.Phase).Distinct().Order().ToList();

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
        upstream.Dispose();
    }
}

public sealed record PhaseCount(long Total, Dictionary<string, long> PerService, Dictionary<string, long> PerOperation);
