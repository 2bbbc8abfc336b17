using Eval.LocalHost;
using Microsoft.AspNetCore.Builder;

namespace Eval.UnitTests.LocalHost;

/// <summary>local.settings.json as `func start` reads it: above the app's appsettings.json, below the environment.</summary>
public sealed class LocalSettingsFileTests : IDisposable
{
    readonly DirectoryInfo dir = Directory.CreateTempSubdirectory("eval-settings-");

    public void Dispose() => dir.Delete(recursive: true);

    [Fact]
    public void The_file_overrides_appsettings_and_the_environment_overrides_the_file()
    {
        string key = "EvalSettingsTest" + Guid.NewGuid().ToString("N")[..8];
        File.WriteAllText(Path.Combine(dir.FullName, "appsettings.json"),
            """{ "Logging": { "Console": { "FormatterName": "simple" } } }""");
        File.WriteAllText(Path.Combine(dir.FullName, LocalSettingsFile.FileName),
            """{ "IsEncrypted": false, "Values": { "Logging__Console__FormatterName": "json",""" +
            $$""" "{{key}}__Value": "file", "{{key}}__Other": "file" } }""");
        Environment.SetEnvironmentVariable($"{key}__Value", "environment");
        try
        {
            WebApplicationBuilder builder =
                WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = dir.FullName, Args = [] });
            LocalSettingsFile.AddTo(builder.Configuration, dir.FullName);

            Assert.Equal("json", builder.Configuration["Logging:Console:FormatterName"]);
            Assert.Equal("environment", builder.Configuration[$"{key}:Value"]);
            Assert.Equal("file", builder.Configuration[$"{key}:Other"]);
        }
        finally
        {
            Environment.SetEnvironmentVariable($"{key}__Value", null);
        }
    }
}
