using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Eval.UnitTests.Infra;

/// <summary>
/// infra/ builds and lints clean. infra/bicepconfig.json makes every linter rule an error; compiler warnings
/// (BCP codes) have no configurable level, so any "Warning" in bicep's output fails a test as well.
/// </summary>
public sealed partial class BicepTests
{
    [GeneratedRegex(@"\bwarning\b", RegexOptions.IgnoreCase)]
    private static partial Regex WarningWord();

    static void AssertClean(Bicep.Result result, string what)
    {
        Assert.True(result.ExitCode == 0, $"{what} failed: {result}");
        Assert.False(WarningWord().IsMatch(result.StdErr), $"{what} printed a warning: {result}");
    }

    [Fact]
    public async Task Main_template_builds_without_a_warning()
    {
        var (result, template) = await Bicep.BuildMainAsync();

        AssertClean(result, "bicep build main.bicep");
        Assert.Equal("subscriptionDeploymentTemplate.json#", ((string?)template!["$schema"])?.Split('/').Last());
    }

    [Fact]
    public async Task Main_template_lints_clean_with_every_rule_an_error()
    {
        Bicep.Result result = await Bicep.RunAsync(["lint", "main.bicep"]);

        AssertClean(result, "bicep lint main.bicep");
        Assert.False(WarningWord().IsMatch(result.StdOut), $"bicep lint printed a warning: {result}");
        Assert.DoesNotContain(" : Error ", result.Output);
    }

    [Fact]
    public async Task Parameters_file_builds_and_lints_with_the_azd_environment()
    {
        Bicep.Result build = await Bicep.RunAsync(["build-params", "main.bicepparam", "--stdout"], Bicep.AzdEnvironment);
        AssertClean(build, "bicep build-params main.bicepparam");
        JsonNode parameters = JsonNode.Parse((string)JsonNode.Parse(build.StdOut)!["parametersJson"]!)!["parameters"]!;
        Assert.Equal("eval-test", (string?)parameters["environmentName"]?["value"]);
        Assert.Equal("00000000-0000-0000-0000-0000000e0a11", (string?)parameters["authAudience"]?["value"]);
        Assert.Equal("evalhub", (string?)parameters["taskHubName"]?["value"]);
        Assert.Equal("", (string?)parameters["authTenantId"]?["value"]);
        Assert.Equal("", (string?)parameters["authAllowedClientIds"]?["value"]);
        Assert.Equal(10, (int?)parameters["evidenceRetentionYears"]?["value"]);
        Assert.False((bool?)parameters["evidencePolicyLocked"]?["value"]);
        Assert.Empty(parameters["webOrigins"]!["value"]!.AsArray());

        Bicep.Result lint = await Bicep.RunAsync(["lint", "main.bicepparam"], Bicep.AzdEnvironment);
        AssertClean(lint, "bicep lint main.bicepparam");
        Assert.False(WarningWord().IsMatch(lint.StdOut), $"bicep lint printed a warning: {lint}");
    }

    [Fact]
    public async Task Parameters_file_passes_the_allowed_client_ids_from_azd()
    {
        const string clients = "11111111-1111-1111-1111-111111111111,22222222-2222-2222-2222-222222222222";
        var environment = new Dictionary<string, string?>(Bicep.AzdEnvironment) { ["EVAL_AUTH_ALLOWED_CLIENT_IDS"] = clients };

        Bicep.Result build = await Bicep.RunAsync(["build-params", "main.bicepparam", "--stdout"], environment);

        AssertClean(build, "bicep build-params main.bicepparam");
        JsonNode parameters = JsonNode.Parse((string)JsonNode.Parse(build.StdOut)!["parametersJson"]!)!["parameters"]!;
        Assert.Equal(clients, (string?)parameters["authAllowedClientIds"]?["value"]);
    }

    [Fact]
    public async Task Parameters_file_refuses_to_build_without_the_API_audience()
    {
        var environment = Bicep.AzdEnvironment.Where(e => e.Key != "EVAL_AUTH_AUDIENCE").ToDictionary();

        Bicep.Result result = await Bicep.RunAsync(["build-params", "main.bicepparam", "--stdout"], environment);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("EVAL_AUTH_AUDIENCE", result.StdErr);
    }

    [Fact]
    public async Task Parameters_file_refuses_an_audience_that_is_not_a_client_id()
    {
        var environment = new Dictionary<string, string?>(Bicep.AzdEnvironment) { ["EVAL_AUTH_AUDIENCE"] = "api://eval" };

        Bicep.Result result = await Bicep.RunAsync(["build-params", "main.bicepparam", "--stdout"], environment);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("minimum allowable length is 36", result.StdErr);
    }

    /// <summary>The checks above can fail: the config turns a default warning into an error, and a compiler
    /// warning that no config can raise is still seen as "Warning".</summary>
    [Fact]
    public async Task The_linter_config_fails_a_rule_violation_and_a_compiler_warning_is_still_caught()
    {
        string dir = Directory.CreateTempSubdirectory("eval-bicep-").FullName;
        try
        {
            File.Copy(Path.Combine(Bicep.InfraDir, "bicepconfig.json"), Path.Combine(dir, "bicepconfig.json"));
            // no-unused-params is a warning by default.
            File.WriteAllText(Path.Combine(dir, "unused.bicep"), "param unused string\n");
            // BCP081: no types for this API version; a compiler warning, not a linter rule.
            File.WriteAllText(Path.Combine(dir, "untyped.bicep"),
                "param location string\nresource s 'Microsoft.Storage/storageAccounts@2001-01-01' = {\n" +
                "  name: 'stevalx'\n  location: location\n}\n");

            Bicep.Result unused = await Bicep.RunAsync(["lint", "unused.bicep"], workingDirectory: dir);
            Assert.NotEqual(0, unused.ExitCode);
            Assert.Contains("Error no-unused-params", unused.Output);

            Bicep.Result untyped = await Bicep.RunAsync(["lint", "untyped.bicep"], workingDirectory: dir);
            Assert.Matches(WarningWord(), untyped.Output);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
