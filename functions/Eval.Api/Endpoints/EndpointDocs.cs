using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Eval.Api.Endpoints;

/// <summary>Endpoint metadata: the request body is validated with the JSON Schema of this name (a component of the document).</summary>
public sealed record RequestBodySchema(string Name, bool Required);

/// <summary>
/// Endpoint metadata: a bearer token is needed. <paramref name="Who"/> says which roles at which units may call it;
/// <paramref name="Roles"/> lists the roles that can succeed at all. Documentation only: the handlers authenticate and
/// the application's commands and queries check roles and scope, on both hosts.
/// </summary>
public sealed record CallerRequirement(string Who, IReadOnlyList<string> Roles);

/// <summary>The vocabulary the route tables use to describe their endpoints for the OpenAPI document.</summary>
public static class EndpointDocs
{
    /// <summary>
    /// A token is needed (401 without a valid one); a token with no role of the API, and callers outside
    /// <paramref name="roles"/> or their scope, get 403.
    /// </summary>
    public static RouteHandlerBuilder RequiresToken(this RouteHandlerBuilder builder, string who, params string[] roles) =>
        builder.WithMetadata(new CallerRequirement(who, roles))
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);

    /// <summary>
    /// A JSON body validated with the named schema from SchemaCatalog, and the problems any body can get: 400 (empty,
    /// not UTF-8), 413 (over the size limit), 415 (not JSON), 422 (schema or rule violations, each with a JSON pointer).
    /// </summary>
    public static RouteHandlerBuilder ValidatedBody(this RouteHandlerBuilder builder, string schema, bool required = true) =>
        builder.WithMetadata(new RequestBodySchema(schema, required)).BodyProblems();

    /// <summary>The problems of reading any JSON body (see <see cref="ValidatedBody"/>).</summary>
    public static RouteHandlerBuilder BodyProblems(this RouteHandlerBuilder builder) => builder.Problems(
        StatusCodes.Status400BadRequest, StatusCodes.Status413PayloadTooLarge, StatusCodes.Status415UnsupportedMediaType,
        StatusCodes.Status422UnprocessableEntity);

    /// <summary>
    /// A POST without a body still reads it when an Idempotency-Key is sent (to hash it): a bad key is 400, a body over the
    /// limit 413, a key reused with another body 422.
    /// </summary>
    public static RouteHandlerBuilder IdempotentWithoutBody(this RouteHandlerBuilder builder) => builder.Problems(
        StatusCodes.Status400BadRequest, StatusCodes.Status413PayloadTooLarge, StatusCodes.Status422UnprocessableEntity);

    public static RouteHandlerBuilder Problems(this RouteHandlerBuilder builder, params int[] statuses)
    {
        foreach (int status in statuses) builder.ProducesProblem(status);
        return builder;
    }

    /// <summary>A documented query parameter (handlers read their query strings themselves, so none is inferred).</summary>
    public static RouteHandlerBuilder WithQueryParameter(this RouteHandlerBuilder builder, string name, string description,
        Microsoft.OpenApi.JsonSchemaType type = Microsoft.OpenApi.JsonSchemaType.String) =>
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(new Microsoft.OpenApi.OpenApiParameter
            {
                Name = name,
                In = Microsoft.OpenApi.ParameterLocation.Query,
                Description = description,
                Required = false,
                Schema = new Microsoft.OpenApi.OpenApiSchema { Type = type },
            });
            return Task.CompletedTask;
        });
}
