using System.Text;
using Azure.Data.Tables;
using Eval.Api.Auth;
using Eval.Api.Http;
using Eval.FunctionalTests.Infrastructure;
using Eval.Workflows.Domain;
using Eval.Workflows.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Eval.FunctionalTests;

/// <summary>
/// The keyed actions' reads go out with the Idempotency-Key's insert (<see cref="Idempotency.RunAsync{T}"/>), on real
/// tables: the handler gets what they read, and when it does not run (a repeat is answered from the kept response)
/// the reads are still waited for, and their failure does not change the answer.
/// </summary>
public sealed class IdempotencyReadAheadTests : IAsyncLifetime
{
    readonly EvalTables tables = new(new TableServiceClient(AzuriteInstance.Shared.ConnectionString),
        new StorageOptions { TablePrefix = "ira" + Guid.NewGuid().ToString("N")[..8] });
    readonly Idempotency idempotency;
    static readonly IServiceProvider Services = new ServiceCollection().AddLogging().BuildServiceProvider();
    readonly string key = "read-ahead-" + Guid.NewGuid().ToString("N")[..8];

    public IdempotencyReadAheadTests() =>
        idempotency = new Idempotency(tables,
            new Authenticator(new TokenValidator(new AuthOptions { SigningKey = TestTokens.SigningKey })), TimeProvider.System);

    public Task InitializeAsync() => tables.EnsureCreatedAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task The_handler_gets_the_reads_and_a_repeat_waits_for_its_unused_reads()
    {
        int handled = 0;
        IResult first = await idempotency.RunAsync(Request(), () => Task.FromResult(41),
            n => { handled++; return Task.FromResult(Results.Ok(n + 1)); });
        Assert.Equal(1, handled);
        Assert.Equal((200, "42"), await Answer(first));

        // The repeat is answered from the kept response; its reads are slow and then fail, and it waits for them.
        var reads = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        Task<IResult> repeat = idempotency.RunAsync(Request(), () => reads.Task,
            n => { handled++; return Task.FromResult(Results.Ok(n)); });
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        Assert.False(repeat.IsCompleted, "the repeat answered while its reads were still running");
        reads.SetException(new InvalidOperationException("storage went away"));
        Assert.Equal((200, "42"), await Answer(await repeat));
        Assert.Equal(1, handled);
    }

    [Fact]
    public async Task A_failed_read_fails_the_request_and_frees_its_key()
    {
        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            idempotency.RunAsync<int>(Request(), () => Task.FromException<int>(new InvalidOperationException("storage went away")),
                n => Task.FromResult(Results.Ok(n))));

        // Nothing was kept under the key: a retry runs again.
        IResult retried = await idempotency.RunAsync(Request(), () => Task.FromResult(7), n => Task.FromResult(Results.Ok(n)));
        Assert.Equal((200, "7"), await Answer(retried));
    }

    HttpRequest Request()
    {
        var context = new DefaultHttpContext { RequestServices = Services };
        context.Request.Method = "POST";
        context.Request.Path = "/api/read-ahead";
        context.Request.Headers.Authorization = "Bearer " + TestTokens.For(Roles.BranchSecretary, "chifeng.hongshan.t1.b1");
        context.Request.Headers[Idempotency.Header] = key;
        byte[] body = Encoding.UTF8.GetBytes("""{"n":1}""");
        context.Request.Body = new MemoryStream(body);
        context.Request.ContentLength = body.Length;
        context.Request.ContentType = "application/json";
        return context.Request;
    }

    static async Task<(int Status, string Body)> Answer(IResult result)
    {
        var context = new DefaultHttpContext { RequestServices = Services };
        var body = new MemoryStream();
        context.Response.Body = body;
        await result.ExecuteAsync(context);
        return (context.Response.StatusCode, Encoding.UTF8.GetString(body.ToArray()));
    }
}
