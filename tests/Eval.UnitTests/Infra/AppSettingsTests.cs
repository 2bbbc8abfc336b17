using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Eval.Api;
using Eval.Api.Auth;
using Eval.Application.Evidence;
using Eval.Workflows.Keys;
using Eval.Workflows.Notifications;
using Eval.Workflows;
using Eval.Workflows.Outbox;
using Eval.Workflows.Storage;

namespace Eval.UnitTests.Infra;

/// <summary>
/// The app settings infra/ gives the Function App (read from the compiled ARM template) are exactly the settings
/// the app and its host read: every one the code reads is set unless it is listed as optional with a reason, none
/// that must stay out of Azure is set, and nothing is set that nobody reads.
/// </summary>
public sealed partial class AppSettingsTests
{
    /// <summary>Read by the code, deliberately not set in Azure.</summary>
    static readonly Dictionary<string, string> Optional = new()
    {
        [$"{AuthOptions.Section}__{nameof(AuthOptions.ClockSkewSeconds)}"] = "the default 30 s suits Entra ID tokens",
        [$"{EvidenceOptions.Section}__{nameof(EvidenceOptions.MaxFileBytes)}"] = "EvidenceOptions' limits are Azure's too",
        [$"{EvidenceOptions.Section}__{nameof(EvidenceOptions.MaxFilesPerRound)}"] = "EvidenceOptions' limits are Azure's too",
        [$"{EvidenceOptions.Section}__{nameof(EvidenceOptions.MaxBytesPerRound)}"] = "EvidenceOptions' limits are Azure's too",
        [$"{EvidenceOptions.Section}__{nameof(EvidenceOptions.UploadMinutes)}"] = "EvidenceOptions' SAS lifetimes are Azure's too",
        [$"{EvidenceOptions.Section}__{nameof(EvidenceOptions.DownloadMinutes)}"] = "EvidenceOptions' SAS lifetimes are Azure's too",
        [$"{OutboxOptions.Section}__{nameof(OutboxOptions.SweepInterval)}"] = "OutboxOptions' timings are Azure's too",
        [$"{OutboxOptions.Section}__{nameof(OutboxOptions.RelayAfter)}"] = "OutboxOptions' timings are Azure's too",
        [$"{WorkflowOptions.Section}__{nameof(WorkflowOptions.HistoryRetention)}"] = "the default 30 days suits Azure",
        [$"{NotificationOptions.Section}__{nameof(NotificationOptions.RetryFor)}"] = "NotificationOptions' retries are Azure's too",
        [$"{NotificationOptions.Section}__{nameof(NotificationOptions.FirstRetryAfter)}"] = "NotificationOptions' retries are Azure's too",
        [$"{NotificationOptions.Section}__{nameof(NotificationOptions.MaxRetryAfter)}"] = "NotificationOptions' retries are Azure's too",
        [$"{NotificationOptions.Section}__{nameof(NotificationOptions.RequestTimeout)}"] = "the default 10 s suits Azure",
        [$"{NotificationOptions.Section}__{nameof(NotificationOptions.FanoutRecheckAfter)}"] = "the default 2 minutes suits Azure",
        [$"{NotificationOptions.Section}__{nameof(NotificationOptions.PollInterval)}"] =
            "the local host's polling; the Functions host polls as host.json's queues section says",
        [$"{NotificationOptions.Section}__{nameof(NotificationOptions.SweepInterval)}"] =
            "the local host's sweep; the Functions app's timer trigger runs on its own schedule",
    };

    /// <summary>Read by the code or set locally, and wrong in Azure.</summary>
    static readonly Dictionary<string, string> MustNotBeSet = new()
    {
        [SettingNames.Storage] =
            "a connection string needs the account key; the storage account has shared keys off and the app uses the identity form",
        [$"{AuthOptions.Section}__{nameof(AuthOptions.SigningKey)}"] =
            "HS256 development tokens; Azure accepts only Entra ID tokens (Auth__MetadataAddress)",
        ["FUNCTIONS_WORKER_RUNTIME"] =
            "Flex Consumption takes the runtime from functionAppConfig.runtime and does not support this setting",
        ["FUNCTIONS_EXTENSION_VERSION"] = "not supported on Flex Consumption (the host version is managed)",
        ["WEBSITE_RUN_FROM_PACKAGE"] = "Flex Consumption deploys from functionAppConfig.deployment.storage",
        [$"{KeyOptions.Section}__{nameof(KeyOptions.Directory)}"] =
            "the local host's key files; in Azure the signing key stays in Key Vault (Keys__VaultKeyId)",
        [$"{NotificationOptions.Section}__{nameof(NotificationOptions.AllowPrivateTargets)}"] =
            "local development only: webhooks to private addresses would reach the app's own network (the app refuses to start)",
    };

    /// <summary>Read by the Functions host rather than the app's code.</summary>
    static readonly Dictionary<string, string> HostSettings = new()
    {
        ["APPLICATIONINSIGHTS_CONNECTION_STRING"] = "the host sends the app's logs and requests to Application Insights",
        ["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"] =
            "the component refuses the instrumentation key: the host authenticates as the identity",
        [$"{SettingNames.Storage}__blobServiceUri"] = "the host and the task hub reach blobs at this endpoint",
    };

    /// <summary>Local runtime only (local.settings.sample.json): the Functions app never reads them.</summary>
    static readonly string[] LocalOnlyPrefixes = ["LocalHost__", "Azurite__"];

    [GeneratedRegex("%([A-Za-z0-9_]+)%")]
    private static partial Regex HostJsonReference();

    /// <summary>Every setting the app's code and host.json read, as app setting names.</summary>
    static SortedSet<string> SettingsTheAppReads()
    {
        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (FieldInfo field in typeof(SettingNames).GetFields().Where(f => f.IsLiteral))
            names.Add((string)field.GetRawConstantValue()!);
        foreach (FieldInfo field in typeof(SettingNames.StorageIdentity).GetFields().Where(f => f.IsLiteral))
            names.Add($"{SettingNames.Storage}__{field.GetRawConstantValue()}");
        foreach (var (section, type) in
            new[]
            {
                (AuthOptions.Section, typeof(AuthOptions)), (StorageOptions.Section, typeof(StorageOptions)),
                (EvidenceOptions.Section, typeof(EvidenceOptions)), (KeyOptions.Section, typeof(KeyOptions)),
                (OutboxOptions.Section, typeof(OutboxOptions)), (WorkflowOptions.Section, typeof(WorkflowOptions)),
                (NotificationOptions.Section, typeof(NotificationOptions)),
            })
            foreach (PropertyInfo property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
                names.Add($"{section}__{property.Name}");
        string hostJson = File.ReadAllText(Path.Combine(Bicep.RepoRoot, "functions", "Eval.Functions", "host.json"));
        foreach (Match match in HostJsonReference().Matches(hostJson)) names.Add(match.Groups[1].Value);
        return names;
    }

    static async Task<Dictionary<string, JsonNode?>> DeployedSettingsAsync()
    {
        JsonObject site = Bicep.Single(await Bicep.MainTemplateAsync(), "Microsoft.Web/sites");
        JsonArray settings = site["properties"]?["siteConfig"]?["appSettings"]?.AsArray()
            ?? throw new Xunit.Sdk.XunitException("The Function App in the compiled template has no siteConfig.appSettings array.");
        var byName = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        foreach (JsonNode? setting in settings)
        {
            string name = (string?)setting?["name"]
                ?? throw new Xunit.Sdk.XunitException($"An app setting without a literal name: {setting}");
            Assert.True(byName.TryAdd(name, setting!["value"]), $"App setting {name} is set twice.");
        }
        return byName;
    }

    [Fact]
    public void The_collected_settings_include_what_the_app_is_known_to_read()
    {
        // A guard on the collection itself: if reflection found nothing, the next test would prove nothing.
        SortedSet<string> read = SettingsTheAppReads();

        Assert.Superset(new SortedSet<string>
        {
            "AzureWebJobsStorage", "AzureWebJobsStorage__accountName", "AzureWebJobsStorage__credential", "AzureWebJobsStorage__clientId",
            "EvalTaskHub", "Auth__Issuer", "Auth__Audience", "Auth__MetadataAddress", "Storage__TablePrefix",
        }, read);
    }

    [Fact]
    public async Task Every_setting_the_app_reads_is_set_unless_optional_or_wrong_in_Azure()
    {
        Dictionary<string, JsonNode?> deployed = await DeployedSettingsAsync();

        string[] missing = SettingsTheAppReads()
            .Where(name => !deployed.ContainsKey(name) && !Optional.ContainsKey(name) && !MustNotBeSet.ContainsKey(name))
            .ToArray();

        Assert.True(missing.Length == 0, $"infra/modules/functionapp.bicep does not set: {string.Join(", ", missing)}. " +
            $"Set them, or list them in {nameof(Optional)} with a reason.");
    }

    [Fact]
    public async Task No_setting_that_is_wrong_in_Azure_is_set()
    {
        Dictionary<string, JsonNode?> deployed = await DeployedSettingsAsync();

        foreach (var (name, reason) in MustNotBeSet)
            Assert.False(deployed.ContainsKey(name), $"App setting {name} must not be set in Azure: {reason}.");
    }

    [Fact]
    public async Task Every_setting_infra_sets_is_read_by_the_app_or_its_host()
    {
        Dictionary<string, JsonNode?> deployed = await DeployedSettingsAsync();
        SortedSet<string> read = SettingsTheAppReads();

        string[] unknown = deployed.Keys.Where(name => !read.Contains(name) && !HostSettings.ContainsKey(name)).ToArray();

        Assert.True(unknown.Length == 0,
            $"Nobody reads the app settings {string.Join(", ", unknown)} (a typo, or a setting no longer used).");
    }

    [Fact]
    public async Task Storage_is_reached_as_the_managed_identity_and_auth_as_Entra_ID()
    {
        Dictionary<string, JsonNode?> deployed = await DeployedSettingsAsync();

        Assert.Equal(StorageConnection.ManagedIdentity,
            (string?)deployed[$"{SettingNames.Storage}__{SettingNames.StorageIdentity.Credential}"]);
        // The values are template expressions: the identity's client id, the issuer, the OIDC metadata under it.
        Assert.Contains("clientId", (string?)deployed[$"{SettingNames.Storage}__{SettingNames.StorageIdentity.ClientId}"]);
        Assert.Contains("Authorization=AAD", (string?)deployed["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"]);
        Assert.Equal("[parameters('authMetadataAddress')]", (string?)deployed["Auth__MetadataAddress"]);
        Assert.Equal("[parameters('authAllowedClientIds')]", (string?)deployed["Auth__AllowedClientIds"]);
        string main = File.ReadAllText(Path.Combine(Bicep.InfraDir, "main.bicep"));
        Assert.Contains("authMetadataAddress: '${authIssuer}/.well-known/openid-configuration'", main);
    }

    [Fact]
    public void Every_local_setting_is_deployed_or_accounted_for()
    {
        // The sample is what the local hosts run with: each of its settings is in Azure too, or local-only, or wrong there.
        JsonElement values = JsonDocument.Parse(File.ReadAllText(Path.Combine(Bicep.RepoRoot, "local.settings.sample.json")))
            .RootElement.GetProperty("Values");
        SortedSet<string> read = SettingsTheAppReads();

        foreach (JsonProperty setting in values.EnumerateObject())
        {
            bool accounted = read.Contains(setting.Name) || MustNotBeSet.ContainsKey(setting.Name)
                || LocalOnlyPrefixes.Any(p => setting.Name.StartsWith(p, StringComparison.Ordinal));
            Assert.True(accounted,
                $"local.settings.sample.json has {setting.Name}, which neither the app's code reads nor this test accounts for.");
        }
    }
}
