using System.Net;
using System.Text;
using Eval.Web.Services;
using MudBlazor.Services;

namespace Eval.WebTests;

/// <summary>
/// Answers the app's API calls in a component test: each path (with its query) gets the status and JSON given, and every
/// request is kept so a test can see what the component asked for.
/// </summary>
public sealed class StubApi : HttpMessageHandler
{
    readonly Dictionary<string, (HttpStatusCode Status, string Json, string MediaType)> answers = new(StringComparer.Ordinal);

    public List<HttpRequestMessage> Requests { get; } = [];

    public List<string> Bodies { get; } = [];

    /// <param name="method">Only requests with this method, where one path answers GET and POST differently.</param>
    public StubApi Answer(string pathAndQuery, string json, HttpStatusCode status = HttpStatusCode.OK, HttpMethod? method = null)
    {
        answers[KeyOf(method, pathAndQuery)] = (status, json, "application/json");
        return this;
    }

    public StubApi Problem(string pathAndQuery, HttpStatusCode status, string json, HttpMethod? method = null)
    {
        answers[KeyOf(method, pathAndQuery)] = (status, json, "application/problem+json");
        return this;
    }

    static string KeyOf(HttpMethod? method, string pathAndQuery) => method is null ? pathAndQuery : $"{method} {pathAndQuery}";

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        Requests.Add(request);
        Bodies.Add(request.Content is null ? "" : await request.Content.ReadAsStringAsync(ct));
        string key = request.RequestUri!.PathAndQuery;
        if (!answers.TryGetValue(KeyOf(request.Method, key), out var answer) && !answers.TryGetValue(key, out answer)) throw new
            InvalidOperationException($"no answer for {request.Method} {key}");
        return new HttpResponseMessage(answer.Status) { Content = new StringContent(answer.Json, Encoding.UTF8, answer.MediaType) };
    }

    /// <summary>The services a page of the app needs, with this handler behind its API client.</summary>
    public void AddTo(BunitContext context)
    {
        context.JSInterop.Mode = JSRuntimeMode.Loose;
        context.Services.AddMudServices();
        context.Services.AddLocalization();
        context.Services.AddSingleton(TimeProvider.System);
        context.Services.AddScoped(_ => new HttpClient(this) { BaseAddress = new Uri("http://eval.test/") });
        context.Services.AddScoped<SignInState>();
        context.Services.AddScoped<EvalApi>();
        context.Services.AddScoped<Language>();
        context.Services.AddScoped<BrowserFiles>();
        context.Services.AddScoped<Drafts>();
    }
}
