using System.Security.Cryptography;
using Eval.Api;
using Eval.Api.Auth;
using Eval.Workflows.Domain;
using Eval.Workflows.Keys;
using Eval.Workflows.Outbox;
using Eval.Workflows.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Eval.UnitTests.Outbox;

/// <summary>
/// Kept events are bound to their claims: the MAC holds for the entry as the API wrote it and as storage gives it back,
/// and for nothing else; the key comes from the setting, or the local host's key file, and in Azure the host does not
/// start without the setting.
/// </summary>
public sealed class OutboxBindingTests : IDisposable
{
    const string Campaign = "c2026", Branch = "chifeng.hongshan.t01.b001";
    static readonly DateTimeOffset At = new(2026, 3, 1, 8, 30, 15, 123, TimeSpan.FromHours(8));
    static readonly Actor Secretary = new("u-secretary", "支部书记", "branch-secretary");
    readonly byte[] key = RandomNumberGenerator.GetBytes(32);
    readonly string keys = Directory.CreateTempSubdirectory("eval-keys-").FullName;

    public void Dispose() => Directory.Delete(keys, recursive: true);

    static AcceptedAction Submitted(string summary = "全年开展民族团结活动十二次") => AcceptedAction.Of("awaiting-self-assessment:0#op=abc",
        new SelfAssessmentSubmitted(0, new SelfAssessment(new Dictionary<string, decimal> { ["political"] = 20.50m, ["unity"] = 24 },
            summary, [new Evidence("unity", "活动记录", "https://example.org/e/1")]), Secretary, At));

    [Fact]
    public void An_entry_holds_as_bound_and_after_the_tables_round_trip_and_not_once_anything_changes()
    {
        var binding = new OutboxBinding(key);
        AcceptedAction bound = binding.Bind(Campaign, Branch, Submitted());
        Assert.NotNull(bound.Mac);
        Assert.True(binding.Holds(Campaign, Branch, bound));
        AcceptedAction stored = Json.Read<List<AcceptedAction>>(Json.Write(new[] { bound }))![0];
        Assert.Equal(bound.Mac, stored.Mac);
        Assert.True(binding.Holds(Campaign, Branch, stored));

        Assert.False(binding.Holds(Campaign, Branch, Submitted()));                                   // never bound
        Assert.False(binding.Holds(Campaign, Branch, Submitted("改过的总结") with { Mac = bound.Mac })); // another event
        Assert.False(binding.Holds(Campaign, Branch, bound with { Claim = "awaiting-self-assessment:1" }));
        Assert.False(binding.Holds(Campaign, "chifeng.hongshan.t01.b002", bound));
        Assert.False(binding.Holds("c2027", Branch, bound));
        Assert.False(new OutboxBinding(RandomNumberGenerator.GetBytes(32)).Holds(Campaign, Branch, bound));
    }

    [Fact]
    public void A_publication_request_is_bound_to_its_campaign_and_operation()
    {
        var binding = new OutboxBinding(key);
        var request = new PublicationRequested(false, Secretary, At);
        string mac = binding.Bind(Campaign, "op-1", request);
        Assert.True(binding.Holds(Campaign, "op-1", request, mac));
        Assert.False(binding.Holds(Campaign, "op-1", request with { Force = true }, mac));
        Assert.False(binding.Holds(Campaign, null, request, mac));
        Assert.False(binding.Holds(Campaign, "op-1", request, null));
    }

    [Fact]
    public void The_key_is_the_settings_or_the_local_key_file_and_a_short_or_malformed_one_is_refused()
    {
        var local = new LocalKeyDirectory(keys);
        AcceptedAction bound = OutboxBinding.FromSettings(null, local).Bind(Campaign, Branch, Submitted());
        Assert.Equal(32, File.ReadAllBytes(Path.Combine(keys, OutboxBinding.KeyFile)).Length);
        Assert.True(OutboxBinding.FromSettings(null, local).Holds(Campaign, Branch, bound)); // the same file next time

        Assert.True(OutboxBinding.FromSettings(Convert.ToBase64String(key), null).Holds(Campaign, Branch,
            new OutboxBinding(key).Bind(Campaign, Branch, Submitted())));
        Assert.Contains("must be set in Azure",
            Assert.Throws<InvalidOperationException>(() => OutboxBinding.FromSettings(null, null)).Message);
        Assert.Contains("at least 32 bytes", Assert.Throws<InvalidOperationException>(
            () => OutboxBinding.FromSettings(Convert.ToBase64String(new byte[31]), local)).Message);
        Assert.Throws<InvalidOperationException>(() => OutboxBinding.FromSettings("not base64!", local));
    }

    static IHost BuildHost(IDictionary<string, string?> settings, bool inAzure)
    {
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddSingleton(new TokenModeGuard(sampleSigningKeyAllowed: false,
            name => inAzure && name == "WEBSITE_SITE_NAME" ? "func-eval-abc" : null));
        builder.Services.AddEvalApi(builder.Configuration);
        return builder.Build();
    }

    [Fact]
    public async Task A_host_in_Azure_without_the_binding_key_stops_as_it_starts()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Auth:MetadataAddress"] = "https://login.microsoftonline.com/t/v2.0/.well-known/openid-configuration",
            ["Keys:Directory"] = keys,
        };
        using IHost refused = BuildHost(settings, inAzure: true);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => refused.StartAsync());
        Assert.Contains("'Outbox:BindingKey'", error.Message);
        Assert.False(File.Exists(Path.Combine(keys, OutboxBinding.KeyFile)));

        using IHost started = BuildHost(new Dictionary<string, string?>(settings) { ["Outbox:BindingKey"] = Convert.ToBase64String(key) },
            inAzure: true);
        await started.StartAsync();
        await started.StopAsync();
    }

    [Fact]
    public async Task A_local_host_without_the_setting_makes_its_key_file()
    {
        using IHost host = BuildHost(new Dictionary<string, string?> { ["Keys:Directory"] = keys }, inAzure: false);
        await host.StartAsync();
        Assert.True(File.Exists(Path.Combine(keys, OutboxBinding.KeyFile)));
        await host.StopAsync();
    }
}
