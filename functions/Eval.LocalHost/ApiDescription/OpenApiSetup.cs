using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Eval.Api;
using Eval.Api.Endpoints;
using Eval.Api.Http;
using Eval.Workflows.Domain;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.DurableTask.Client;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;
using Scalar.AspNetCore;

namespace Eval.LocalHost.ApiDescription;

/// <summary>
/// The OpenAPI 3.1 description of the API, generated from the endpoints' metadata (Eval.Api's route tables) with
/// Microsoft.AspNetCore.OpenApi, served at /openapi/v1.json with an interactive page at /docs, and written to
/// docs/openapi.json by `./eval openapi`. The Functions app serves the same routes (HostParityTests checks both).
/// </summary>
public static class OpenApiSetup
{
    public const string DocumentName = "v1";
    public const string DocumentRoute = "/openapi/{documentName}.json";
    public const string DocsRoute = "/docs";
    // The body schemas of these steps follow each campaign's rubric; they are named by the step (HumanStep.Name).
    public const string SelfAssessmentBody = "self-assessment";
    public const string CountyScoreBody = "county-score";
    public const string ValidationProblem = "ValidationProblem";
    public const string RetryAfter = "Retry-After";
    public const string Location = "Location";
    /// <summary>The Functions app's host, as a server variable: azd names the app func-eval-&lt;13 characters&gt;.</summary>
    public const string FunctionAppVariable = "functionApp";
    const string Bearer = "bearer";
    const string ProblemJson = "application/problem+json";
    const string ProblemDetails = "ProblemDetails";

    /// <summary>
    /// Operations that touch neither storage nor the task hub, so no outage can reach them. Every other operation may
    /// answer 503 with Retry-After (Outages); Health, which asks both itself, documents its own 503.
    /// </summary>
    static readonly HashSet<string> WithoutDependencies = ["GetSchema"];

    static readonly Dictionary<string, string> TagDescriptions = new(StringComparer.Ordinal)
    {
        ["Health"] = "Whether storage and the task hub answer: for load balancers and operators.",
        ["Schemas"] = "The JSON Schemas request bodies are validated with.",
        ["Units"] = "The org tree: the city (市), its counties and banners (旗县区), " +
            "their townships (苏木乡镇) and party branches (党支部).",
        ["Campaigns"] = "A yearly evaluation over a county or the city: its rubric, levels and schedule, and its start and publication.",
        ["Evaluations"] = "One branch's evaluation: self-assessment (自评), township review (审核) and county scoring (考评).",
        ["Ratings and objections"] =
            "The ranked list under public notice (公示) and published, and the objections (异议) raised against it.",
        ["Audit"] = "The hash-chained audit log of every decision.",
        ["Inbox"] = "What waits on the caller (待办), across campaigns, soonest due first.",
        ["Reports"] = "A campaign's statistics per unit, and its lists, evaluations and statistics as XLSX or CSV spreadsheets.",
        ["Self-tests"] = "The deployment self-test: a table write, an external event and a durable timer, end to end.",
        ["Notifications"] = "Webhook subscriptions: reminders, missed deadlines, urgings (催办) and extended deadlines posted as " +
            "signed CloudEvents (Standard Webhooks) to a unit's relay, its deliveries and dead letters (docs/notifications.md).",
    };

    /// <summary>The routes this adds are documentation of the local host only, not API routes (parity ignores them).</summary>
    public static readonly IReadOnlyList<string> LocalOnlyRoutePrefixes = ["/openapi/", DocsRoute];

    public static IServiceCollection AddEvalOpenApi(this IServiceCollection services) =>
        // The host's JSON options only write responses (handlers read bodies with JsonBody.Options), and responses
        // write numbers as numbers: without this the web defaults' "numbers may be read from strings" makes every
        // number in the document a number-or-string.
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.NumberHandling = JsonNumberHandling.Strict)
        .AddOpenApi(DocumentName, o =>
        {
            o.OpenApiVersion = OpenApiSpecVersion.OpenApi3_1;
            o.AddOperationTransformer(DescribeOperationAsync);
            o.AddDocumentTransformer(DescribeDocumentAsync);
        });

    public static IEndpointRouteBuilder MapEvalApiDescription(this IEndpointRouteBuilder app)
    {
        app.MapOpenApi(DocumentRoute);
        // The page's script is the bundle embedded in Scalar.AspNetCore (served under /docs), not a CDN's; no web fonts,
        // no telemetry and no AI agent, so the page works on a machine without internet.
        app.MapScalarApiReference(DocsRoute, o =>
        {
            o.WithTitle("Eval API").WithOpenApiRoutePattern(DocumentRoute).DisableDefaultFonts();
            o.Telemetry = false;
            o.DisableAgent();
            o.AddPreferredSecuritySchemes(Bearer);
            // The page tries requests on the host that serves it, whatever its port, not on the document's servers.
            o.AddServer(new ScalarServer("/", "This host"));
            o.WithDynamicBaseServerUrl();
        });
        return app;
    }

    /// <summary>
    /// The document as `./eval openapi` writes it: the API's endpoints on an app whose server listens nowhere (no sidecar,
    /// no port, no storage call), so it can run anywhere the build does. The app is started so that its endpoints are
    /// routed exactly as in the host, which is what the document is generated from.
    /// </summary>
    public static async Task<string> GenerateAsync(CancellationToken cancellationToken = default)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IServer, NoServer>();
        // Handlers are resolved per request only; none runs here, so storage is never contacted.
        builder.Configuration.AddInMemoryCollection(
            new Dictionary<string, string?> { [SettingNames.Storage] = "UseDevelopmentStorage=true" });
        builder.Services.AddEvalApi(builder.Configuration);
        builder.Services.AddSingleton<DurableTaskClient>(
            _ => throw new InvalidOperationException("Not used: the API is only described here."));
        builder.Services.AddEvalOpenApi();
        await using WebApplication app = builder.Build();
        app.MapEvalApi();
        app.MapEvalApiDescription();
        await app.StartAsync(cancellationToken);
        OpenApiDocument document = await app.Services.GetRequiredKeyedService<IOpenApiDocumentProvider>(DocumentName)
            .GetOpenApiDocumentAsync(cancellationToken);
        await app.StopAsync(cancellationToken);
        return (await document.SerializeAsJsonAsync(OpenApiSpecVersion.OpenApi3_1, cancellationToken)).ReplaceLineEndings("\n") + "\n";
    }

    /// <summary>A server that accepts the app and listens nowhere.</summary>
    sealed class NoServer : IServer
    {
        public IFeatureCollection Features { get; } = new FeatureCollection();
        public Task StartAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken)
            where TContext : notnull => Task.CompletedTask;
        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public void Dispose() { }
    }

    static async Task DescribeDocumentAsync(
        OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = "Eval API",
            Version = DocumentName,
            Description = "The strongest-party-branch (最强党支部) evaluation backend. " +
                "Errors are RFC 9457 application/problem+json; a 422 lists each error with a JSON pointer into the body. " +
                "Every POST takes an Idempotency-Key header. Request bodies are validated with the JSON Schemas in " +
                "components/schemas, the same ones GET /api/schemas/{name} serves. Every string must be clean text: " +
                "no control characters (tab, CR and LF only in strings marked x-multiline), bidirectional controls, U+FEFF, " +
                "noncharacters or lone surrogates.",
        };
        // Fixed entries, not the origin the document is asked from, so the generated file does not depend on the port it
        // was generated on. The /docs page sends its requests to its own origin (MapEvalApiDescription).
        document.Servers =
        [
            new OpenApiServer
            {
                Url = "http://localhost:7071",
                Description = "The local host (./eval up; LocalHost__HttpPort), or the Functions app under func start: the same routes.",
            },
            new OpenApiServer
            {
                Url = $"https://{{{FunctionAppVariable}}}.azurewebsites.net",
                Description = "The Function App in Azure: the host of API_BASE_URL in `azd env get-values`.",
                Variables = new Dictionary<string, OpenApiServerVariable>
                {
                    [FunctionAppVariable] = new()
                    {
                        Default = "func-eval-xxxxxxxxxxxxx",
                        Description = "The Function App's name (infra/main.bicep: func-eval- and 13 characters).",
                    },
                },
            },
        ];
        foreach (OpenApiTag tag in document.Tags ?? Enumerable.Empty<OpenApiTag>())
            if (tag.Name is { } name && TagDescriptions.TryGetValue(name, out string? description)) tag.Description = description;

        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[Bearer] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "JWT",
            Description = "A JWT with claims sub, name, unit (the unit id the caller works at, e.g. chifeng.hongshan.t01) and roles (" +
                string.Join(", ", Roles.All) + "). A role acts on its unit and every unit below it; each operation says which roles " +
                "may call it. Locally, `./eval token --role ROLE --unit UNIT` prints one (HS256, Auth__SigningKey); in Azure, Entra ID " +
                "issues them (Auth__MetadataAddress).",
        };

        document.Components.Headers ??= new Dictionary<string, IOpenApiHeader>();
        document.Components.Headers[RetryAfter] = new OpenApiHeader
        {
            Description = "Seconds to wait before sending the request again.",
            Required = true,
            Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Minimum = "1" },
            Example = JsonValue.Create(Outages.RetryAfterSeconds),
        };
        document.Components.Headers[Location] = new OpenApiHeader
        {
            Description = "The path, on the same server, of what the request created or acts on (the campaign, evaluation, ratings, " +
                "objection or self-test): GET it to follow the outcome.",
            Required = true,
            Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "uri-reference" },
        };

        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        foreach ((string name, JsonObject schema) in await RequestSchemas.AllAsync())
            document.Components.Schemas[name] = ToOpenApi(schema, document);
        document.Components.Schemas[ValidationProblem] = ToOpenApi(ValidationProblemSchema(), document);
        ResponseShapes.DescribeEachOnce(document);
    }

    static Task DescribeOperationAsync(
        OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        IList<object> metadata = context.Description.ActionDescriptor.EndpointMetadata;

        if (metadata.OfType<RequestBodySchema>().FirstOrDefault() is { } body)
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = body.Required,
                Description = body.Required ? null : "Optional.",
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["application/json"] = new() { Schema = new OpenApiSchemaReference(body.Name, context.Document) },
                },
            };
        // Examples by the body's schema, whether the body is one of SchemaCatalog's or a C# record's (the self-test's).
        foreach (OpenApiMediaType json in operation.RequestBody?.Content?.Values ?? [])
            if (json.Schema is OpenApiSchemaReference { Reference.Id: { } schema }
                && RequestExamples.BySchema.TryGetValue(schema, out IReadOnlyList<BodyExample>? examples))
                json.Examples = examples.ToDictionary(e => e.Key,
                    e => (IOpenApiExample)new OpenApiExample { Summary = e.Summary, Value = JsonNode.Parse(e.Json) });

        if (metadata.OfType<CallerRequirement>().FirstOrDefault() is { } caller)
        {
            operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(Bearer, context.Document)] = [] }];
            string roles = caller.Roles.Count == 0 ? "any signed-in caller" : string.Join(", ", caller.Roles);
            operation.Description =
                $"{operation.Description}{(operation.Description is null ? "" : "\n\n")}Who: {caller.Who}. Roles: {roles}.";
            operation.Extensions ??= new Dictionary<string, IOpenApiExtension>();
            operation.Extensions["x-eval-roles"] =
                new JsonNodeExtension(new JsonArray(caller.Roles.Select(r => (JsonNode)JsonValue.Create(r)).ToArray()));
        }
        else
        {
            // Said outright (security: []), not left to whatever the document or a tool would assume.
            operation.Security = [];
            operation.Description = $"{operation.Description}{(operation.Description is null ? "" : "\n\n")}Who: anyone, no token.";
        }

        operation.Responses ??= [];
        foreach ((string status, IOpenApiResponse response) in operation.Responses)
            if (status is "201" or "202" && response is OpenApiResponse created)
            {
                created.Headers ??= new Dictionary<string, IOpenApiHeader>();
                created.Headers[Location] = new OpenApiHeaderReference(Location, context.Document);
            }
        bool post = string.Equals(context.Description.HttpMethod, HttpMethods.Post, StringComparison.OrdinalIgnoreCase);
        string? name = metadata.OfType<IEndpointNameMetadata>().FirstOrDefault()?.EndpointName;
        if (!operation.Responses.ContainsKey("503") && (name is null || !WithoutDependencies.Contains(name)))
            operation.Responses["503"] = new OpenApiResponse
            {
                Description = "Storage or the task hub could not be reached: send the request again after Retry-After seconds." +
                    (post ? " What was accepted before the failure is kept; a repeat with the same Idempotency-Key finishes it." : ""),
                Headers = new Dictionary<string, IOpenApiHeader>
                {
                    [RetryAfter] = new OpenApiHeaderReference(RetryAfter, context.Document),
                },
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    [ProblemJson] = new() { Schema = new OpenApiSchemaReference(ProblemDetails, context.Document) },
                },
            };

        if (post)
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = Idempotency.Header,
                In = ParameterLocation.Header,
                Required = false,
                Description = "Makes a retry safe: a repeat with the same key and body gets the first answer and changes nothing; " +
                    "the same key with another body is 422, a repeat while the first runs is 409. " +
                    "Keys belong to the caller and the route.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1, MaxLength = 200, Pattern = "^[\\x21-\\x7e]+$" },
            });
        }

        // A 422 lists each error with a JSON pointer into the body (or /query/<name>).
        if (operation.Responses?.TryGetValue("422", out IOpenApiResponse? invalid) == true
            && invalid.Content?.TryGetValue(ProblemJson, out OpenApiMediaType? media) == true)
            media.Schema = new OpenApiSchemaReference(ValidationProblem, context.Document);
        return Task.CompletedTask;
    }

    static JsonObject ValidationProblemSchema() => new()
    {
        ["description"] = "An RFC 9457 problem whose errors say where the request is wrong.",
        ["type"] = "object",
        ["required"] = new JsonArray("type", "title", "status", "errors"),
        ["properties"] = new JsonObject
        {
            ["type"] = new JsonObject { ["type"] = "string", ["format"] = "uri" },
            ["title"] = new JsonObject { ["type"] = "string" },
            ["status"] = new JsonObject { ["type"] = "integer" },
            ["detail"] = new JsonObject { ["type"] = new JsonArray("string", "null") },
            ["instance"] = new JsonObject { ["type"] = new JsonArray("string", "null") },
            ["errors"] = new JsonObject
            {
                ["type"] = "array",
                ["items"] = new JsonObject
                {
                    ["type"] = "object",
                    ["required"] = new JsonArray("pointer", "detail"),
                    ["properties"] = new JsonObject
                    {
                        ["pointer"] = new JsonObject
                        {
                            ["type"] = "string",
                            ["description"] = "A JSON pointer into the body (\"\" for the whole body), or /query/<name>.",
                        },
                        ["detail"] = new JsonObject { ["type"] = "string", ["description"] = "What is wrong there." },
                    },
                },
            },
        },
    };

    /// <summary>Reads a JSON Schema (2020-12) into the document's object model, refusing anything the reader reports.</summary>
    static IOpenApiSchema ToOpenApi(JsonObject schema, OpenApiDocument document)
    {
        OpenApiSchema? parsed = OpenApiModelFactory.Parse<OpenApiSchema>(schema.ToJsonString(), OpenApiSpecVersion.OpenApi3_1, document,
            out OpenApiDiagnostic diagnostic, "json");
        if (parsed is null || diagnostic.Errors.Count > 0)
            throw new InvalidOperationException("A schema could not be read into the OpenAPI document: " +
                string.Join("; ", diagnostic.Errors.Select(e => e.ToString())));
        return parsed;
    }
}
