using System.Net;
using System.Net.Http.Headers;
using Eval.Api.Auth;
using Eval.Workflows.Domain;

namespace Eval.LocalHost.Cli;

/// <summary>
/// `seed --url http://localhost:7071`: loads the Chifeng demo units and a started demo campaign for one county
/// through the HTTP API, as the organization department would. Safe to run again.
/// </summary>
public static class SeedCommand
{
    const int UnitsPerRequest = 500;

    public static async Task<int> RunAsync(CommandLine cli, IConfiguration configuration)
    {
        string url = (cli.One("url") ?? "http://localhost:7071").TrimEnd('/');
        AuthOptions options = configuration.GetSection(AuthOptions.Section).Get<AuthOptions>() ?? new();
        if (string.IsNullOrEmpty(options.SigningKey))
        {
            Console.Error.WriteLine("Auth__SigningKey is not set (local.settings.json)");
            return 2;
        }
        string token = DevTokens.Create(options, "seed@chifeng", "演示数据", [Roles.OrgDepartment], "chifeng",
            TimeSpan.FromMinutes(30));
        using var http = new HttpClient { BaseAddress = new Uri(url + "/"), Timeout = TimeSpan.FromMinutes(2) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        // Parents come before children: the list is in tree order and chunks go in order.
        List<Unit> units = DemoData.ChifengUnits();
        foreach (Unit[] chunk in units.Chunk(UnitsPerRequest))
        {
            using HttpResponseMessage put = await http.PutAsJsonAsync("api/units", new { units = chunk });
            if (!put.IsSuccessStatusCode) return Fail("PUT /api/units", put);
        }
        int branches = units.Count(u => u.Kind == UnitKinds.Branch);
        Console.WriteLine($"seed: {units.Count} units ({branches} branches in {units.Count(u => u.Kind == UnitKinds.County)} counties)");

        CampaignDefinition demo = ChifengCampaign.Hongshan;
        using HttpResponseMessage created = await http.PostAsJsonAsync("api/campaigns", demo.RequestBody());
        if (created.StatusCode != HttpStatusCode.Conflict && !created.IsSuccessStatusCode) return Fail("POST /api/campaigns", created);
        using HttpResponseMessage started = await http.PostAsync($"api/campaigns/{demo.Id}/start", null);
        if (started.StatusCode != HttpStatusCode.Conflict && !started.IsSuccessStatusCode) return Fail("POST start", started);
        Console.WriteLine($"seed: demo campaign '{demo.Id}' for {demo.Unit} is running");
        return 0;
    }

    static int Fail(string what, HttpResponseMessage response)
    {
        Console.Error.WriteLine($"seed: {what} answered {(int)response.StatusCode}: {response.Content.ReadAsStringAsync().Result}");
        return 1;
    }
}
