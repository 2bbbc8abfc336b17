using System.Text.Json.Nodes;
using Eval.Workflows.Storage;

namespace Eval.UnitTests.Infra;

/// <summary>
/// The blob side of file evidence (docs/storage.md, "Evidence files") as a deployment of main.bicepparam would
/// create it: `bicep snapshot` evaluates the template, so conditions on the parameters are checked, not just written.
/// </summary>
public sealed class EvidenceStorageTests
{
    const string AccountType = "Microsoft.Storage/storageAccounts";
    const string BlobServiceType = AccountType + "/blobServices";
    const string ContainerType = BlobServiceType + "/containers";
    const string ImmutabilityPolicyType = ContainerType + "/immutabilityPolicies";
    const string LifecycleType = AccountType + "/managementPolicies";

    static readonly string[] WebOrigins = ["https://eval.example.org", "http://localhost:5173"];

    static readonly Lazy<Task<JsonArray>> Defaults = new(() => Bicep.PredictedResourcesAsync(Bicep.AzdEnvironment));

    /// <summary>Seven years, two origins (given with the spaces and empty entry a hand-typed list may have).</summary>
    static readonly Lazy<Task<JsonArray>> Configured = new(() => Bicep.PredictedResourcesAsync(
        new Dictionary<string, string?>(Bicep.AzdEnvironment)
        {
            ["EVAL_EVIDENCE_RETENTION_YEARS"] = "7",
            ["EVAL_WEB_ORIGINS"] = $" {WebOrigins[0]}, ,{WebOrigins[1]} ",
        }));

    static readonly Lazy<Task<JsonArray>> Locked = new(() => Bicep.PredictedResourcesAsync(
        new Dictionary<string, string?>(Bicep.AzdEnvironment) { ["EVAL_EVIDENCE_POLICY_LOCKED"] = "true" }));

    static JsonObject[] OfType(JsonArray resources, string type) =>
        resources.OfType<JsonObject>().Where(r => (string?)r["type"] == type).ToArray();

    static JsonObject One(JsonArray resources, string type)
    {
        JsonObject[] found = OfType(resources, type);
        Assert.True(found.Length == 1, $"Expected one {type} in the snapshot, found {found.Length}.");
        return found[0];
    }

    /// <summary>The last segment of a child resource's name (account/default/container → container).</summary>
    static string LastName(JsonObject resource) => ((string)resource["name"]!).Split('/')[^1];

    static JsonArray CorsRules(JsonArray resources) =>
        One(resources, BlobServiceType)["properties"]?["cors"]?["corsRules"]?.AsArray()
        ?? throw new Xunit.Sdk.XunitException("The blob service sets no cors.corsRules (an empty list clears old rules).");

    [Fact]
    public async Task Both_evidence_containers_exist_private_under_the_names_the_app_uses()
    {
        JsonObject[] containers = OfType(await Defaults.Value, ContainerType);

        foreach (string name in new[] { EvidenceContainers.Uploads, EvidenceContainers.Verified })
        {
            JsonObject container = Assert.Single(containers, c => LastName(c) == name);
            Assert.Equal("None", (string?)container["properties"]?["publicAccess"]);
        }
    }

    [Fact]
    public async Task Verified_evidence_is_immutable_for_ten_years_by_default_and_uploads_are_not()
    {
        JsonObject policy = One(await Defaults.Value, ImmutabilityPolicyType);

        Assert.Equal($"{EvidenceContainers.Verified}/default", string.Join('/', ((string)policy["name"]!).Split('/')[^2..]));
        Assert.Equal(10 * 365, (int?)policy["properties"]?["immutabilityPeriodSinceCreationInDays"]);
        Assert.False((bool?)policy["properties"]?["allowProtectedAppendWrites"]);
        Assert.False((bool?)policy["properties"]?["allowProtectedAppendWritesAll"]);
        Assert.Null(policy["properties"]?["state"]); // created unlocked: locking is a separate, deliberate step
    }

    [Fact]
    public async Task The_immutability_period_is_the_retention_years_times_365()
    {
        JsonObject policy = One(await Configured.Value, ImmutabilityPolicyType);

        Assert.Equal(7 * 365, (int?)policy["properties"]?["immutabilityPeriodSinceCreationInDays"]);
    }

    [Fact]
    public async Task Once_the_policy_is_locked_the_template_leaves_it_alone_and_keeps_the_containers()
    {
        JsonArray resources = await Locked.Value;

        Assert.Empty(OfType(resources, ImmutabilityPolicyType));
        Assert.Contains(OfType(resources, ContainerType), c => LastName(c) == EvidenceContainers.Verified);
    }

    [Fact]
    public async Task Uploads_and_only_uploads_expire_a_day_after_they_were_created()
    {
        JsonArray rules = One(await Defaults.Value, LifecycleType)["properties"]?["policy"]?["rules"]?.AsArray()
            ?? throw new Xunit.Sdk.XunitException("The lifecycle management policy has no rules.");

        JsonObject rule = Assert.IsType<JsonObject>(Assert.Single(rules));
        Assert.True((bool?)rule["enabled"]);
        JsonNode definition = rule["definition"]!;
        Assert.Equal([$"{EvidenceContainers.Uploads}/"], definition["filters"]!["prefixMatch"]!.AsArray().Select(p => (string)p!));
        Assert.Contains("blockBlob", definition["filters"]!["blobTypes"]!.AsArray().Select(t => (string)t!));
        Assert.Equal(1, (int?)definition["actions"]?["baseBlob"]?["delete"]?["daysAfterCreationGreaterThan"]);
    }

    [Fact]
    public async Task Deleted_blobs_and_containers_stay_recoverable_for_30_days()
    {
        JsonNode properties = One(await Defaults.Value, BlobServiceType)["properties"]!;

        Assert.True((bool?)properties["deleteRetentionPolicy"]?["enabled"]);
        Assert.Equal(30, (int?)properties["deleteRetentionPolicy"]?["days"]);
        Assert.False((bool?)properties["deleteRetentionPolicy"]?["allowPermanentDelete"]);
        Assert.True((bool?)properties["containerDeleteRetentionPolicy"]?["enabled"]);
        Assert.Equal(30, (int?)properties["containerDeleteRetentionPolicy"]?["days"]);
    }

    [Fact]
    public async Task Without_web_origins_there_is_no_CORS_rule()
    {
        Assert.Empty(CorsRules(await Defaults.Value));
    }

    [Fact]
    public async Task With_web_origins_one_CORS_rule_lets_them_upload_and_download()
    {
        JsonNode rule = Assert.Single(CorsRules(await Configured.Value))!;

        static string[] Strings(JsonNode? list) => list!.AsArray().Select(v => (string)v!).ToArray();
        Assert.Equal(WebOrigins, Strings(rule["allowedOrigins"]));
        Assert.Equal(["GET", "HEAD", "OPTIONS", "PUT"], Strings(rule["allowedMethods"]).Order());
        Assert.Equal(
            ["content-type", "x-ms-blob-content-disposition", "x-ms-blob-content-type", "x-ms-blob-type", "x-ms-version"],
            Strings(rule["allowedHeaders"]).Order());
        Assert.Equal(["etag"], Strings(rule["exposedHeaders"]));
        Assert.Equal(3600, (int?)rule["maxAgeInSeconds"]);
    }

    [Fact]
    public async Task Shared_key_access_stays_off_whatever_the_evidence_settings()
    {
        // The app signs its SAS with a user delegation key from its identity; an account key would sign any SAS.
        foreach (JsonArray resources in new[] { await Defaults.Value, await Configured.Value, await Locked.Value })
            Assert.False((bool?)One(resources, AccountType)["properties"]?["allowSharedKeyAccess"]);
    }
}
