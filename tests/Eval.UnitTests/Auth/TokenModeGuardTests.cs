using System.Text.Json;
using Eval.Api.Auth;
using Eval.UnitTests.Infra;
using Eval.Workflows.Domain;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Eval.UnitTests.Auth;

/// <summary>
/// Development tokens never in production: HS256 is refused where Azure's variables say the app runs in Azure, and
/// the public sample key is refused unless the local host allows it, both at construction and as the host starts.
/// </summary>
public sealed class TokenModeGuardTests
{
    const string OwnKey = "a-developers-own-signing-key-0123456789abcdef";

    static readonly AuthOptions Hs256 = new() { SigningKey = OwnKey };

    static readonly AuthOptions Entra = new()
    {
        Issuer = "https://login.microsoftonline.com/tenant-id/v2.0",
        Audience = "api://eval",
        MetadataAddress = "https://login.microsoftonline.com/tenant-id/v2.0/.well-known/openid-configuration",
    };

    /// <summary>The key as the repository's sample settings give it, which is what a developer copies.</summary>
    static readonly string SampleKey = JsonDocument.Parse(File.ReadAllText(Path.Combine(Bicep.RepoRoot, "local.settings.sample.json")))
        .RootElement.GetProperty("Values").GetProperty("Auth__SigningKey").GetString()!;

    static Func<string, string?> Environment(params (string Name, string Value)[] variables) =>
        name => variables.Where(v => v.Name == name).Select(v => v.Value).FirstOrDefault();

    static readonly Func<string, string?> Local = Environment();

    // --- in Azure ---

    [Theory]
    [InlineData("WEBSITE_INSTANCE_ID", "8f3c0d2e5a")] // App Service plans (Premium, Dedicated)
    [InlineData("WEBSITE_SITE_NAME", "func-eval-abc")] // every Azure site
    [InlineData("WEBSITE_SKU", "FlexConsumption")] // every plan; Flex leaves WEBSITE_INSTANCE_ID empty
    public void HS256_is_refused_when_an_Azure_variable_is_set(string variable, string value)
    {
        var guard = new TokenModeGuard(sampleSigningKeyAllowed: false, Environment((variable, value)));

        var error = Assert.Throws<InvalidOperationException>(() => guard.Check(Hs256));

        Assert.True(guard.RunsInAzure);
        Assert.Contains("'Auth:MetadataAddress'", error.Message);
        Assert.Contains("must be set in Azure", error.Message);
        Assert.DoesNotContain(OwnKey, error.Message);
    }

    [Fact]
    public void The_local_host_is_refused_HS256_in_Azure_too()
    {
        var guard = new TokenModeGuard(sampleSigningKeyAllowed: true, Environment(("WEBSITE_SITE_NAME", "func-eval-abc")));
        Assert.Throws<InvalidOperationException>(() => guard.Check(new AuthOptions { SigningKey = SampleKey }));
    }

    [Fact]
    public void The_validator_refuses_to_be_built_for_HS256_in_Azure()
    {
        var guard = new TokenModeGuard(sampleSigningKeyAllowed: false, Environment(("WEBSITE_SKU", "FlexConsumption")));

        var error = Assert.Throws<InvalidOperationException>(() => new TokenValidator(Hs256, guard));

        Assert.Contains("'Auth:MetadataAddress'", error.Message);
    }

    [Fact]
    public void Entra_ID_is_accepted_in_Azure()
    {
        var guard = new TokenModeGuard(sampleSigningKeyAllowed: false,
            Environment(("WEBSITE_SITE_NAME", "func-eval-abc"), ("WEBSITE_SKU", "FlexConsumption")));

        guard.Check(Entra);
        Assert.NotNull(new TokenValidator(Entra, guard));
    }

    [Fact]
    public void An_empty_Azure_variable_does_not_count()
    {
        // Flex Consumption sets WEBSITE_INSTANCE_ID empty; a shell may export any of them empty.
        var guard = new TokenModeGuard(sampleSigningKeyAllowed: false, Environment(("WEBSITE_INSTANCE_ID", ""), ("WEBSITE_SKU", "")));

        Assert.False(guard.RunsInAzure);
        guard.Check(Hs256);
    }

    [Fact]
    public void What_func_start_or_a_container_sets_does_not_mean_Azure()
    {
        // Core Tools set WEBSITE_HOSTNAME (localhost:7071) and AZURE_FUNCTIONS_ENVIRONMENT; container runtimes,
        // this project's development machine among them, set CONTAINER_NAME.
        var guard = new TokenModeGuard(sampleSigningKeyAllowed: false, Environment(("WEBSITE_HOSTNAME", "localhost:7071"),
            ("AZURE_FUNCTIONS_ENVIRONMENT", "Development"), ("CONTAINER_NAME", "dev-box")));

        Assert.False(guard.RunsInAzure);
        guard.Check(Hs256);
    }

    // --- the sample key ---

    [Fact]
    public void The_guard_knows_the_key_of_the_sample_settings()
    {
        Assert.Equal(TokenModeGuard.SampleSigningKey, SampleKey);
    }

    [Fact]
    public void The_sample_key_is_refused_when_not_allowed()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new TokenValidator(new AuthOptions { SigningKey = SampleKey }));

        Assert.Contains("sample key", error.Message);
        Assert.Contains("'Auth:SigningKey'", error.Message);
        Assert.DoesNotContain(SampleKey, error.Message);
    }

    [Fact]
    public async Task The_sample_key_is_accepted_where_the_local_host_allows_it()
    {
        var options = new AuthOptions { SigningKey = SampleKey };
        var validator = new TokenValidator(options, new TokenModeGuard(sampleSigningKeyAllowed: true, Local));

        string token = DevTokens.Create(options, "u-1", "Alice", [Roles.Member], "chifeng", TimeSpan.FromMinutes(5));

        Assert.True((await validator.ValidateAsync("Bearer " + token)).Succeeded);
    }

    [Fact]
    public void A_developers_own_key_is_accepted_outside_Azure()
    {
        Assert.NotNull(new TokenValidator(Hs256, new TokenModeGuard(sampleSigningKeyAllowed: false, Local)));
    }

    // --- at host start ---

    /// <summary>A host with the API's auth wiring; a recording hosted service goes first, as the Functions worker's does.</summary>
    static IHost BuildHost(IDictionary<string, string?> settings, TokenModeGuard? guard = null, bool asLocalHost = false)
    {
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddSingleton<StartRecorder>();
        builder.Services.AddHostedService(s => s.GetRequiredService<StartRecorder>());
        if (guard is not null) builder.Services.AddSingleton(guard);
        builder.Services.AddEvalAuth(builder.Configuration);
        if (asLocalHost) builder.Services.AllowSampleSigningKey(); // after AddEvalApi, as the local host's Program.cs calls it
        return builder.Build();
    }

    static Dictionary<string, string?> Settings(string key) => new() { ["Auth:SigningKey"] = key };

    [Fact]
    public async Task A_host_with_the_sample_key_stops_before_any_hosted_service_starts()
    {
        using IHost host = BuildHost(Settings(SampleKey));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync());

        Assert.Contains("sample key", error.Message);
        Assert.False(host.Services.GetRequiredService<StartRecorder>().Started);
    }

    [Fact]
    public async Task A_host_in_Azure_with_HS256_stops_before_any_hosted_service_starts()
    {
        var guard = new TokenModeGuard(sampleSigningKeyAllowed: false, Environment(("WEBSITE_SITE_NAME", "func-eval-abc")));
        using IHost host = BuildHost(Settings(OwnKey), guard);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync());

        Assert.Contains("must be set in Azure", error.Message);
        Assert.False(host.Services.GetRequiredService<StartRecorder>().Started);
    }

    [Fact]
    public async Task The_local_host_starts_with_the_sample_key()
    {
        using IHost host = BuildHost(Settings(SampleKey), asLocalHost: true);

        await host.StartAsync();

        Assert.True(host.Services.GetRequiredService<StartRecorder>().Started);
        Assert.True(host.Services.GetRequiredService<TokenModeGuard>().SampleSigningKeyAllowed);
        Assert.NotNull(host.Services.GetRequiredService<TokenValidator>());
        await host.StopAsync();
    }

    [Fact]
    public async Task A_host_without_any_key_still_starts()
    {
        // `./eval openapi` and the route tests build the API with no Auth settings; the missing key fails on first use.
        using IHost host = BuildHost(new Dictionary<string, string?>());

        await host.StartAsync();

        Assert.True(host.Services.GetRequiredService<StartRecorder>().Started);
        await host.StopAsync();
    }

    sealed class StartRecorder : IHostedService
    {
        public bool Started { get; private set; }

        public Task StartAsync(CancellationToken cancellationToken)
        {
            Started = true;
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
