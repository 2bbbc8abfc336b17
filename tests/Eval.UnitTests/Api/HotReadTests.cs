using System.Net;
using System.Text;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Azure.Storage;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Eval.Application.Campaigns;
using Eval.Api;
using Eval.Api.Auth;
using Eval.Api.Handlers;
using Eval.LocalHost.Cli;
using Eval.Workflows.Domain;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Eval.UnitTests.Api;

/// <summary>
/// What reaches storage per call on the paths every screen polls. The handlers run on the shared wiring with a table
/// client whose transport counts the requests and answers each query with one evaluation row (no storage service).
/// </summary>
public sealed class HotReadTests
{
    [Fact]
    public async Task Campaign_counts_are_read_once_per_few_seconds_however_many_ask()
    {
        var (services, storage, clock) = Build();
        StageCounter counter = services.GetRequiredService<StageCounter>();
        CampaignRecord campaign = Campaign(CampaignStatus.Running, branches: 1);

        StageCounts[] counts = await Task.WhenAll(
            Enumerable.Range(0, 20).Select(_ => counter.RecentAsync(campaign, CancellationToken.None)));
        Assert.All(counts, c => Assert.Equal(1, c.Stages[Stages.Done]));
        Assert.Equal(1, storage.Requests);

        clock.Advance(StageCounter.MaxAge - TimeSpan.FromSeconds(1));
        await counter.RecentAsync(campaign, CancellationToken.None);
        Assert.Equal(1, storage.Requests);

        clock.Advance(TimeSpan.FromSeconds(2));
        await counter.RecentAsync(campaign, CancellationToken.None);
        Assert.Equal(2, storage.Requests);

        // A change of status (or branch count) is counted at once: the first count after a start is complete.
        await counter.RecentAsync(campaign with { Status = CampaignStatus.Publicity }, CancellationToken.None);
        Assert.Equal(3, storage.Requests);
    }

    [Theory]
    [InlineData("bad#id")]
    [InlineData("bad?id")]
    [InlineData("bad\u0001id")]
    [InlineData("BadId")]
    public async Task An_evaluation_of_an_invalid_campaign_id_is_404_before_any_storage_call(string campaignId)
    {
        var (services, storage, _) = Build();
        EvaluationHandlers handlers = services.GetRequiredService<EvaluationHandlers>();
        HttpRequest request = Request(services, Roles.OrgDepartment, "chifeng");

        IResult result = await handlers.GetAsync(request, campaignId, "chifeng.hongshan.t01.b001");

        Assert.Equal(StatusCodes.Status404NotFound, await StatusOfAsync(result, services));
        Assert.Equal(0, storage.Requests);
    }

    const string SigningKey = "hot-read-tests-signing-key-of-enough-length-0123456789";

    static (ServiceProvider Services, CountingStorage Storage, SettableClock Clock) Build()
    {
        var storage = new CountingStorage();
        var clock = new SettableClock();
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Auth:SigningKey"] = SigningKey,
        }).Build();
        var services = new ServiceCollection().AddLogging().AddEvalApi(configuration);
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton<TimeProvider>(clock);
        services.AddSingleton(new TableServiceClient(new Uri("http://127.0.0.1:9/devstoreaccount1"),
            new TableSharedKeyCredential("devstoreaccount1", Convert.ToBase64String(new byte[64])),
            new TableClientOptions { Transport = new HttpClientTransport(new HttpClient(storage)), Retry = { MaxRetries = 0 } }));
        services.AddSingleton(new BlobServiceClient(new Uri("http://127.0.0.1:9/devstoreaccount1"),
            new StorageSharedKeyCredential("devstoreaccount1", Convert.ToBase64String(new byte[64])),
            new BlobClientOptions { Transport = new HttpClientTransport(new HttpClient(storage)), Retry = { MaxRetries = 0 } }));
        services.AddSingleton(new QueueServiceClient(new Uri("http://127.0.0.1:9/devstoreaccount1"),
            new StorageSharedKeyCredential("devstoreaccount1", Convert.ToBase64String(new byte[64])),
            new QueueClientOptions { Transport = new HttpClientTransport(new HttpClient(storage)), Retry = { MaxRetries = 0 } }));
        return (services.BuildServiceProvider(), storage, clock);
    }

    static CampaignRecord Campaign(string status, int branches) => new()
    {
        Definition = ChifengCampaign.Definition("hot-1", "chifeng", "测试"),
        Status = status, CreatedAt = DateTimeOffset.UnixEpoch, CreatedBy = "org-1", BranchCount = branches,
    };

    static HttpRequest Request(IServiceProvider services, string role, string unit)
    {
        var context = new DefaultHttpContext { RequestServices = services };
        string token = DevTokens.Create(new AuthOptions { SigningKey = SigningKey }, "u-1", "测试", [role], unit,
            TimeSpan.FromMinutes(5));
        context.Request.Headers.Authorization = "Bearer " + token;
        return context.Request;
    }

    static async Task<int> StatusOfAsync(IResult result, IServiceProvider services)
    {
        var context = new DefaultHttpContext { RequestServices = services };
        context.Response.Body = new MemoryStream();
        await result.ExecuteAsync(context);
        return context.Response.StatusCode;
    }

    /// <summary>Counts what would go to the table service; answers every request with one done evaluation.</summary>
    sealed class CountingStorage : HttpMessageHandler
    {
        int requests;

        public int Requests => Volatile.Read(ref requests);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref requests);
            const string rows =
                """{"value":[{"PartitionKey":"hot-1","RowKey":"chifeng.hongshan.t01.b001","Stage":"done","Overdue":false}]}""";
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = new StringContent(rows, Encoding.UTF8, "application/json"),
            });
        }
    }

    sealed class SettableClock : TimeProvider
    {
        DateTimeOffset now = new(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => now;

        public void Advance(TimeSpan by) => now += by;
    }
}
