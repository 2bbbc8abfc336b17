using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;
using Eval.Application;
using Eval.Api.Auth;
using Eval.Workflows.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Eval.Api.Http;

/// <summary>
/// The Idempotency-Key header on a POST: the first request with a key runs and its response is kept; a repeat
/// with the same key and body gets that response again and changes nothing; a repeat while the first is still
/// running is 409. Keys belong to the caller (the token's subject) and the route, and are kept in table
/// IdempotencyKeys. A key is bound to its body for good: the same key with another body is 422, whatever became of
/// the first request. Only a success is kept as an answer: after a 4xx or 5xx the key is left "unsettled", and a
/// repeat with the same body is judged again on the state it then finds (a "try again shortly" can pass).
/// A first request that never finished (its process died, or failed half-way) is taken over by a repeat (a "running"
/// one after <see cref="AbandonedAfter"/>); handlers see the key's operation id (<see cref="OperationOf"/>), which
/// stands for the key and its body, and record it with what they claim, so the repeat recognises its own half-done
/// work and completes it, from what that work stored, instead of refusing it.
/// </summary>
public sealed class Idempotency(EvalTables tables, Authenticator auth, TimeProvider clock)
{
    public const string Header = "Idempotency-Key";
    const int MaxKeyLength = 200;
    const int MaxKeptBody = 900_000; // split over binary columns (TableText), with the key's other columns well inside a row's 1 MiB
    const string OperationItem = "Eval.Idempotency.Operation";

    /// <summary>A "running" key older than this was left by a process that died (<see cref="Requests.AbandonedAfter"/>).</summary>
    public static readonly TimeSpan AbandonedAfter = Requests.AbandonedAfter;

    /// <summary>The operation id of the request's Idempotency-Key (the same for every repeat), or null without a key.</summary>
    public static string? OperationOf(HttpRequest request) => request.HttpContext.Items[OperationItem] as string;

    TableClient Table => tables.Table(EvalTables.IdempotencyKeys);

    // IResult, not a typed result: what a repeat gets is the first answer's bytes, kept and written again (Replayed).
    public async Task<IResult> RunAsync(HttpRequest request, Func<Task<IResult>> handler) =>
        await RunAsync(request, handler, RequestJson.MaxBodyBytes);

    /// <summary>
    /// <see cref="RunAsync(HttpRequest, Func{Task{IResult}})"/> for a route that takes bodies of up to
    /// <paramref name="maxBodyBytes"/> (a file), which a key's hash reads whole.
    /// </summary>
    public async Task<IResult> RunAsync(HttpRequest request, Func<Task<IResult>> handler, long maxBodyBytes)
    {
        if (!request.Headers.TryGetValue(Header, out var values)) return await handler();
        string key = values.ToString();
        if (key.Length is 0 or > MaxKeyLength || key.Any(c => c is < (char)0x21 or > (char)0x7e) || values.Count > 1)
            return Problems.BadRequest($"{Header} must be one value of 1 to {MaxKeyLength} visible ASCII characters.");

        // Scope by the verified caller; an unauthenticated request is answered its 401 or 403 here, and keeps no key.
        Result<Caller> caller = await auth.AuthenticateAsync(request);
        if (!caller.Ok) return caller.Problem.ToResult();

        var (bodyHash, tooLarge) = await HashBodyAsync(request, maxBodyBytes);
        if (tooLarge is not null) return tooLarge;
        string partition = Sha256($"{caller.Value.Id}\n{request.Method}\n{request.Path}\n{key}");
        // The operation is the key with its body: even where a key's row is gone, another body never resumes its work.
        string operation = Sha256($"{partition}\n{bodyHash}");

        for (int attempt = 0; ; attempt++)
        {
            try
            {
                await Table.AddEntityAsync(
                    new TableEntity(partition, "") { ["BodyHash"] = bodyHash, ["State"] = "running", ["At"] = clock.GetUtcNow() });
                break;
            }
            catch (RequestFailedException e) when (e.Status == 409) { }
            NullableResponse<TableEntity> found = await Table.GetEntityIfExistsAsync<TableEntity>(partition, "");
            // Removed in between (the first request failed, and left nothing done): this one runs instead.
            if (!found.HasValue && attempt < 3) continue;
            if (!found.HasValue)
                return Problems.Conflict("Requests with this Idempotency-Key keep failing at the same time; try again shortly.");
            TableEntity first = found.Value!;
            if (first.GetString("BodyHash") != bodyHash)
                return Problems.Create(StatusCodes.Status422UnprocessableEntity, "idempotency-key-reused",
                    "The Idempotency-Key was used with another body.", "Use a new key for a different request.");
            if (first.GetString("State") == "done")
                return new Replayed(first.GetInt32("Status") ?? 200, first.GetString("ContentType"), first.GetString("Location"),
                    TableText.ReadBytes(first, "Body"));
            if (!await TryTakeOverAsync(first))
                return Problems.Conflict("The first request with this Idempotency-Key is still being processed; try again shortly.");
            break;
        }
        request.HttpContext.Items[OperationItem] = operation;

        IResult result;
        try
        {
            result = await handler();
        }
        catch
        {
            await UnsettleAsync(partition);
            throw;
        }
        var (status, contentType, location, retryAfter, body) = await CaptureAsync(result, request.HttpContext);
        if (status >= 400 || body.Length > MaxKeptBody)
            await UnsettleAsync(partition);
        else
        {
            var done = new TableEntity(partition, "")
            {
                ["State"] = "done", ["Status"] = status, ["ContentType"] = contentType, ["Location"] = location,
            };
            TableText.WriteBytes(done, "Body", body);
            await Table.UpdateEntityAsync(done, ETag.All, TableUpdateMode.Merge);
        }
        return new Replayed(status, contentType, location, body, retryAfter);
    }

    /// <summary>
    /// <see cref="RunAsync(HttpRequest, Func{Task{IResult}})"/> with the handler's reads started at once, so that they
    /// travel to storage together with the key's insert instead of after it: one round trip less for every keyed action.
    /// What they read is used only if the handler runs. It may be older than the key, as any read may be older than
    /// the write that follows it: the handlers' writes are conditional for that reason.
    /// </summary>
    public async Task<IResult> RunAsync<T>(HttpRequest request, Func<Task<T>> load, Func<T, Task<IResult>> handler)
    {
        Task<T> loading = load();
        try
        {
            return await RunAsync(request, async () => await handler(await loading));
        }
        finally
        {
            // The reads use the request's context, so they never outlive the request, even when their result is unused.
            try { await loading; } catch (Exception) when (!loading.IsCompletedSuccessfully) { }
        }
    }

    /// <summary>
    /// Marks the key as run without an answer to keep: its body stays bound to it, and a repeat with that body runs again.
    /// If this write fails too, the key stays "running" and a repeat takes it over after <see cref="AbandonedAfter"/>.
    /// </summary>
    async Task UnsettleAsync(string partition)
    {
        try { await Table.UpdateEntityAsync(new TableEntity(partition, "") { ["State"] = Unsettled }, ETag.All, TableUpdateMode.Merge); }
        catch (Exception e) when (e is not OutOfMemoryException) { } // the request's own failure is the one to report
    }

    const string Unsettled = "unsettled";

    /// <summary>
    /// Takes over an unsettled key, or a "running" one whose request was abandoned; of two repeats racing for it, one
    /// gets it.
    /// </summary>
    async Task<bool> TryTakeOverAsync(TableEntity first)
    {
        DateTimeOffset now = clock.GetUtcNow();
        if (first.GetString("State") != Unsettled && first.GetDateTimeOffset("At") is { } at && now - at < AbandonedAfter) return false;
        try
        {
            var running = new TableEntity(first.PartitionKey, "") { ["State"] = "running", ["At"] = now };
            await Table.UpdateEntityAsync(running, first.ETag, TableUpdateMode.Merge);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 412 or 404)
        {
            return false;
        }
    }

    static async Task<(string Hash, IResult? Problem)> HashBodyAsync(HttpRequest request, long maxBodyBytes)
    {
        if (request.ContentLength > maxBodyBytes) return ("", Problems.TooLarge(maxBodyBytes));
        request.EnableBuffering((int)Math.Min(maxBodyBytes + 1, int.MaxValue));
        // Read no further than the limit: a chunked body declares no length, and may be far larger.
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        byte[] chunk = new byte[16 * 1024];
        long total = 0;
        for (int read; (read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted)) > 0;)
        {
            total += read;
            if (total > maxBodyBytes) return ("", Problems.TooLarge(maxBodyBytes));
            hash.AppendData(chunk, 0, read);
        }
        request.Body.Position = 0;
        return (Convert.ToHexStringLower(hash.GetHashAndReset()), null);
    }

    /// <summary>Runs the result against a scratch response to keep exactly what the client gets.</summary>
    static async Task<(int Status, string? ContentType, string? Location, string? RetryAfter, byte[] Body)> CaptureAsync(
        IResult result, HttpContext real)
    {
        var features = new FeatureCollection();
        features.Set<IHttpResponseFeature>(new HttpResponseFeature());
        var body = new MemoryStream();
        features.Set<IHttpResponseBodyFeature>(new StreamResponseBodyFeature(body));
        features.Set<IHttpRequestFeature>(new HttpRequestFeature { Method = real.Request.Method, Path = real.Request.Path });
        var scratch = new DefaultHttpContext(features) { RequestServices = real.RequestServices };
        scratch.Response.StatusCode = StatusCodes.Status200OK;
        await result.ExecuteAsync(scratch);
        static string? Header(string value) => value is { Length: > 0 } ? value : null;
        return (scratch.Response.StatusCode, scratch.Response.ContentType, Header(scratch.Response.Headers.Location.ToString()),
            Header(scratch.Response.Headers.RetryAfter.ToString()), body.ToArray());
    }

    static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    /// <summary>The kept response, written again byte for byte.</summary>
    sealed class Replayed(int status, string? contentType, string? location, byte[]? body, string? retryAfter = null) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = status;
            if (contentType is not null) httpContext.Response.ContentType = contentType;
            if (location is not null) httpContext.Response.Headers.Location = location;
            if (retryAfter is not null) httpContext.Response.Headers.RetryAfter = retryAfter;
            if (body is { Length: > 0 }) await httpContext.Response.Body.WriteAsync(body);
        }
    }
}
