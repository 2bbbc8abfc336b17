using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Eval.Workflows.Domain;
using Eval.Workflows.Storage;

namespace Eval.UnitTests.Infra;

/// <summary>What the compiled template deploys, against what the app and docs/deploy.md rely on.</summary>
public sealed class TemplateTests
{
    [Fact]
    public async Task The_storage_account_takes_no_keys_no_anonymous_reads_and_no_old_TLS()
    {
        JsonNode properties = Bicep.Single(await Bicep.MainTemplateAsync(), "Microsoft.Storage/storageAccounts")["properties"]!;

        Assert.False((bool?)properties["allowSharedKeyAccess"]);
        Assert.False((bool?)properties["allowBlobPublicAccess"]);
        Assert.Equal("TLS1_2", (string?)properties["minimumTlsVersion"]);
        Assert.True((bool?)properties["supportsHttpsTrafficOnly"]);
    }

    [Fact]
    public async Task The_function_app_runs_dotnet_isolated_10_on_Flex_Consumption_as_the_identity_and_azd_finds_it()
    {
        JsonNode template = await Bicep.MainTemplateAsync();
        JsonObject plan = Bicep.Single(template, "Microsoft.Web/serverfarms");
        JsonObject site = Bicep.Single(template, "Microsoft.Web/sites");
        JsonNode config = site["properties"]!["functionAppConfig"]!;

        Assert.Equal("FlexConsumption", (string?)plan["sku"]?["tier"]);
        Assert.Equal("dotnet-isolated", (string?)config["runtime"]?["name"]);
        Assert.Equal("10.0", (string?)config["runtime"]?["version"]);
        Assert.Equal("UserAssignedIdentity", (string?)config["deployment"]?["storage"]?["authentication"]?["type"]);
        Assert.Equal("UserAssigned", (string?)site["identity"]?["type"]);
        Assert.True((bool?)site["properties"]!["httpsOnly"]);
        // azd deploys service "api" (azure.yaml) to the resource tagged azd-service-name: api.
        Assert.Contains("'azd-service-name', 'api'", (string?)site["tags"]);
    }

    [Fact]
    public async Task The_app_identity_gets_the_storage_and_telemetry_roles()
    {
        string roles = File.ReadAllText(Path.Combine(Bicep.InfraDir, "modules", "roles.bicep"));
        JsonNode template = await Bicep.MainTemplateAsync();
        int assignments = Bicep.Resources(template).Count(r => (string?)r["type"] == "Microsoft.Authorization/roleAssignments");

        // Built-in role ids: Storage Blob Data Owner, Queue Data Contributor, Table Data Contributor, Monitoring Metrics Publisher.
        foreach (string id in new[]
        {
            "b7e6dc6d-f1e8-4753-8033-0f276bb0955b", "974c5e8b-45b9-4653-ba55-5f855dd0fb88",
            "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3", "3913510d-42f4-4e42-8a64-420c390055eb",
        })
            Assert.Contains(id, roles);
        // The app's storage roles (a loop), its telemetry role, the operator's roles (a loop), signing, the binding secret.
        Assert.Equal(5, assignments);
    }

    [Fact]
    public async Task The_signing_key_stays_in_the_vault_and_the_app_may_only_use_it()
    {
        JsonNode template = await Bicep.MainTemplateAsync();
        JsonObject vault = Bicep.Single(template, "Microsoft.KeyVault/vaults");
        Assert.True((bool?)vault["properties"]!["enableRbacAuthorization"]);
        Assert.True((bool?)vault["properties"]!["enablePurgeProtection"]);
        JsonObject key = Bicep.Single(template, "Microsoft.KeyVault/vaults/keys");
        Assert.Equal("EC", (string?)key["properties"]!["kty"]);
        Assert.Equal("P-256", (string?)key["properties"]!["curveName"]);
        Assert.Equal(["sign", "verify"], key["properties"]!["keyOps"]!.AsArray().Select(o => (string)o!));
        // Key Vault Crypto User, on the key alone (not the vault): sign and read the public key, nothing else.
        Assert.Contains("'12338af0-0e69-4776-bea7-57ae8d297424'", VaultModule());
        Assert.Contains("keyVaultCryptoUser",
            (string?)RoleAssignmentOn(template, "Microsoft.KeyVault/vaults/keys")["properties"]!["roleDefinitionId"]);
    }

    [Fact]
    public async Task The_outbox_binding_key_is_a_vault_secret_the_app_reads_by_reference_and_no_setting_holds()
    {
        JsonNode template = await Bicep.MainTemplateAsync();
        JsonObject secret = Bicep.Single(template, "Microsoft.KeyVault/vaults/secrets");
        Assert.Contains("outboxBindingKey", (string?)secret["properties"]!["value"]);
        // Key Vault Secrets User on the secret alone: read its value, no other secret, no key.
        Assert.Contains("'4633458b-17de-408a-b874-0445c86b69e6'", VaultModule());
        Assert.Contains("keyVaultSecretsUser",
            (string?)RoleAssignmentOn(template, "Microsoft.KeyVault/vaults/secrets")["properties"]!["roleDefinitionId"]);

        JsonObject site = Bicep.Single(template, "Microsoft.Web/sites");
        JsonNode binding = site["properties"]!["siteConfig"]!["appSettings"]!.AsArray()
            .Single(s => (string?)s!["name"] == "Outbox__BindingKey")!;
        Assert.StartsWith("[format('@Microsoft.KeyVault(SecretUri={0})'", (string?)binding["value"]);
        // The platform resolves the reference as the app's user-assigned identity, which holds the role.
        Assert.Contains("userAssignedIdentities", (string?)site["properties"]!["keyVaultReferenceIdentity"]);
    }

    [Fact]
    public async Task Bicep_creates_exactly_the_tables_the_app_writes()
    {
        JsonNode template = await Bicep.MainTemplateAsync();

        string[] tables = template["variables"]!["appTables"]!.AsArray().Select(t => (string)t!).ToArray();

        Assert.Equal(EvalTables.All.Order(), tables.Order());
    }

    [Fact]
    public async Task The_API_base_URL_is_an_output_for_azd()
    {
        JsonNode output = (await Bicep.MainTemplateAsync())["outputs"]!["API_BASE_URL"]!;

        Assert.Equal("string", (string?)output["type"]);
        Assert.Matches(@"^\[format\('https://\{0\}/api'", (string?)output["value"]);
    }

    [Fact]
    public void Azure_yaml_deploys_the_functions_project_as_service_api()
    {
        string yaml = File.ReadAllText(Path.Combine(Bicep.RepoRoot, "azure.yaml"));
        string? Value(string key) =>
            Regex.Match(yaml, $@"^\s*{key}:\s*(\S+)\s*$", RegexOptions.Multiline) is { Success: true } m ? m.Groups[1].Value : null;

        Assert.Matches(new Regex(@"^services:\s*\n\s+api:\s*$", RegexOptions.Multiline), yaml);
        Assert.Equal("./functions/Eval.Functions", Value("project"));
        Assert.Equal("dotnet", Value("language"));
        Assert.Equal("function", Value("host"));
        Assert.True(File.Exists(Path.Combine(Bicep.RepoRoot, "functions", "Eval.Functions", "Eval.Functions.csproj")));
        Assert.Equal("infra", Value("path"));
        Assert.Equal("main", Value("module"));
        Assert.True(File.Exists(Path.Combine(Bicep.InfraDir, "main.bicepparam")));
    }

    [Fact]
    public void The_Entra_ID_app_roles_are_the_roles_the_API_checks()
    {
        JsonElement[] appRoles = JsonDocument.Parse(File.ReadAllText(Path.Combine(Bicep.InfraDir, "entra", "app-roles.json")))
            .RootElement.EnumerateArray().ToArray();

        Assert.Equal(Roles.All.Order(), appRoles.Select(r => r.GetProperty("value").GetString()!).Order());
        Assert.Equal(appRoles.Length, appRoles.Select(r => Guid.Parse(r.GetProperty("id").GetString()!)).Distinct().Count());
        Assert.All(appRoles, r =>
        {
            // Tokens carry the user's unit claim, which only users have.
            Assert.Equal(["User"], r.GetProperty("allowedMemberTypes").EnumerateArray().Select(t => t.GetString()));
            Assert.True(r.GetProperty("isEnabled").GetBoolean());
        });
    }

    static string VaultModule() => File.ReadAllText(Path.Combine(Bicep.InfraDir, "modules", "vault.bicep"));

    /// <summary>The one role assignment whose scope is a resource of <paramref name="scopeType"/>.</summary>
    static JsonNode RoleAssignmentOn(JsonNode template, string scopeType) =>
        Bicep.Resources(template).Single(r => (string?)r["type"] == "Microsoft.Authorization/roleAssignments"
            && ((string?)r["scope"])?.Contains(scopeType, StringComparison.Ordinal) == true);
}
