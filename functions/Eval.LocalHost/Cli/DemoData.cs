using System.Text.Json;
using Eval.Workflows.Domain;

namespace Eval.LocalHost.Cli;

/// <summary>
/// The Chifeng demo tree: the city and its 12 county-level units (DemoData/chifeng-units.json) with generated
/// townships and 3,810 village/community branches, the number of branches the city paired in 2022.
/// </summary>
public static class DemoData
{
    public const int BranchCount = 3810;
    public const int TownshipsPerCounty = 12;

    public static List<Unit> ChifengUnits()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "DemoData", "chifeng-units.json")));
        JsonElement city = doc.RootElement.GetProperty("city");
        var units = new List<Unit> { new(city.GetProperty("id").GetString()!, city.GetProperty("name").GetString()!, UnitKinds.City) };
        JsonElement[] counties = doc.RootElement.GetProperty("counties").EnumerateArray().ToArray();
        for (int c = 0; c < counties.Length; c++)
        {
            string countyId = counties[c].GetProperty("id").GetString()!;
            string countyName = counties[c].GetProperty("name").GetString()!;
            string type = counties[c].GetProperty("type").GetString()!;
            units.Add(new Unit(countyId, countyName, UnitKinds.County));
            // Spread the branches evenly: every county gets the same share, the first ones one more.
            int branches = BranchCount / counties.Length + (c < BranchCount % counties.Length ? 1 : 0);
            for (int t = 0; t < TownshipsPerCounty; t++)
            {
                string townshipId = $"{countyId}.t{t + 1:00}";
                string township = $"{countyName}{Ordinal(t)}{(type switch { "district" => "街道", "banner" => "苏木", _ => "镇" })}";
                units.Add(new Unit(townshipId, township, UnitKinds.Township));
                int inTownship = branches / TownshipsPerCounty + (t < branches % TownshipsPerCounty ? 1 : 0);
                for (int b = 0; b < inTownship; b++)
                {
                    string kind = type == "district" ? "社区" : type == "banner" ? "嘎查" : "村";
                    units.Add(new Unit($"{townshipId}.b{b + 1:000}", $"{township}第{b + 1}{kind}党支部", UnitKinds.Branch));
                }
            }
        }
        return units;
    }

    static string Ordinal(int i) => $"第{i + 1}";

    /// <summary>The demo campaign's definition; <paramref name="schedule"/> replaces its weeks-long deadlines (the benchmark's are short).</summary>
    public static object Campaign(string id, string unitId, string title, object? schedule = null) => new
    {
        id,
        title,
        unit = unitId,
        rubric = new
        {
            criteria = new object[]
            {
                new { id = "political", title = "政治引领", maxPoints = 25 },
                new { id = "organization", title = "组织引领", maxPoints = 25 },
                new { id = "service", title = "服务引领", maxPoints = 25 },
                new { id = "unity", title = "民族团结进步", maxPoints = 25, unity = true },
            },
            unityWeight = 1.5,
            unityMinShare = 0.8,
            vetoItems = new[] { new { id = "ethnic-incident", title = "发生影响民族团结的重大事件" } },
        },
        levels = new object[]
        {
            new { id = "strongest", title = "最强党支部", minScore = 90, quota = 0.3 },
            new { id = "advanced", title = "先进党支部", minScore = 80 },
            new { id = "qualified", title = "合格党支部", minScore = 60 },
        },
        schedule = schedule ?? new { selfAssessment = "P14D", townshipReview = "P7D", countyScoring = "P10D", publicity = "P5D" },
        scorersPerBranch = 1,
        maxReturns = 2,
    };
}
