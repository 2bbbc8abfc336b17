using System.Net;
using System.Net.Http.Headers;
using System.Net.Mime;
using System.Text;
using System.Text.Json.Nodes;
using CloudNative.CloudEvents;
using CloudNative.CloudEvents.SystemTextJson;
using StandardWebhooks;

namespace Eval.Workflows.Notifications;

/// <summary>What one attempt got: delivered (2xx), or why not.</summary>
public sealed record AttemptResult(bool Delivered, int? StatusCode, string Result);

/// <summary>
/// A delivery's request: a CloudEvents 1.0 document in structured mode (application/cloudevents+json), signed as Standard
/// Webhooks says (webhook-id, webhook-timestamp, webhook-signature "v1,{base64 HMAC-SHA256 of id.timestamp.body}"), posted
/// with a timeout, following no redirect, through no proxy, connecting only where <see cref="WebhookTargets"/> lets it.
/// </summary>
public sealed class WebhookSender : IDisposable
{
    public const string ContentType = "application/cloudevents+json";

    // Chinese text as itself rather than \uXXXX escapes, as the tables keep it (Storage.Json).
    static readonly CloudEventFormatter Formatter = new JsonEventFormatter(
        new System.Text.Json.JsonSerializerOptions { Encoder = Storage.Json.Options.Encoder }, default);

    readonly HttpClient http;
    readonly WebhookTargets targets;
    readonly TimeSpan timeout;

    public WebhookSender(WebhookTargets targets, NotificationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.targets = targets;
        timeout = options.RequestTimeout;
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = targets.ConnectAsync,
            AllowAutoRedirect = false,
            UseProxy = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
            ConnectTimeout = options.RequestTimeout,
            // Connections are checked when they are made: a pooled one is not kept so long that a changed address goes unnoticed.
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        };
        http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("Eval-Webhooks", "1.0"));
    }

    /// <summary>
    /// The CloudEvent of a notification's delivery: id = the delivery's id, source = the API's address, type = the
    /// notification's, its subject and time, and data = {unit, role, campaignId, text} with the notification's own data.
    /// </summary>
    public static string EventOf(Notification notification, string deliveryId, Uri source)
    {
        ArgumentNullException.ThrowIfNull(notification);
        var data = new JsonObject
        {
            ["unit"] = notification.Unit, ["role"] = notification.Role, ["campaignId"] = notification.CampaignId,
            ["text"] = notification.Text,
        };
        foreach ((string name, JsonNode? value) in notification.Data ?? new JsonObject())
            if (!data.ContainsKey(name)) data[name] = value?.DeepClone();
        var cloudEvent = new CloudEvent(CloudEventsSpecVersion.V1_0)
        {
            Id = deliveryId,
            Source = source,
            Type = notification.Type,
            Subject = notification.Subject,
            Time = notification.Time,
            DataContentType = MediaTypeNames.Application.Json,
            Data = data,
        };
        return Encoding.UTF8.GetString(Formatter.EncodeStructuredModeMessage(cloudEvent, out _).Span);
    }

    /// <summary>One attempt: the same id and body every time, a new timestamp and signature.</summary>
    public async Task<AttemptResult> SendAsync(string url, string deliveryId, string body, IEnumerable<string> secrets,
        DateTimeOffset now, CancellationToken ct)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out Uri? target)
            || !(target.Scheme == Uri.UriSchemeHttps || targets.AllowPrivate && target.Scheme == Uri.UriSchemeHttp))
            return new AttemptResult(false, null, "refused: not an https URL");
        using var request = new HttpRequestMessage(HttpMethod.Post, target)
        {
            Content = new StringContent(body, Encoding.UTF8, ContentType),
        };
        request.Headers.Add("webhook-id", deliveryId);
        request.Headers.Add("webhook-timestamp", now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", string.Join(' ', secrets.Select(s => new StandardWebhook(s).Sign(deliveryId, now, body))));

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(timeout);
        try
        {
            using HttpResponseMessage response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, limit.Token);
            int status = (int)response.StatusCode;
            return new AttemptResult(response.IsSuccessStatusCode, status, $"HTTP {status}");
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return new AttemptResult(false, null, $"timed out after {timeout.TotalSeconds:0.#} s");
        }
        catch (HttpRequestException e) when (e.InnerException is TargetRefusedException refused)
        {
            return new AttemptResult(false, null, "refused: " + refused.Message);
        }
        catch (HttpRequestException e)
        {
            return new AttemptResult(false, null, "failed: " + e.Message);
        }
    }

    public void Dispose() => http.Dispose();
}
