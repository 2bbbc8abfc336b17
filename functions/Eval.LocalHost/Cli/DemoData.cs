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
                    string category = type == "district" ? BranchCategories.Community : BranchCategories.Village;
                    units.Add(new Unit($"{townshipId}.b{b + 1:000}", $"{township}第{b + 1}{kind}党支部", UnitKinds.Branch, category));
                }
            }
        }
        return units;
    }

    static string Ordinal(int i) => $"第{i + 1}";
}
