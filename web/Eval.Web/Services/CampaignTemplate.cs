using System.Text.Json.Nodes;

namespace Eval.Web.Services;

/// <summary>
/// The campaign a department starts from when it has none of its own to copy: the Chifeng rules (four criteria, national
/// unity weighted, three levels, the members' appraisal at 30%), for the department's own unit and year.
/// </summary>
public static class CampaignTemplate
{
    const string Json = """
        {"id":"","title":"","unit":"",
         "rubric":{"criteria":[
             {"id":"political","title":"政治引领","maxPoints":25},{"id":"organization","title":"组织引领","maxPoints":25},
             {"id":"service","title":"服务引领","maxPoints":25},
             {"id":"unity","title":"民族团结进步","maxPoints":25,"unity":true}],
           "unityWeight":1.5,"unityMinShare":0.8,"vetoItems":[{"id":"ethnic-incident","title":"发生影响民族团结的重大事件"}],
           "deductions":[{"id":"absent","title":"党员无故缺席组织生活（每人次）","pointsEach":0.5,"cap":4}],
           "components":[{"kind":"basic","weight":0.7},{"kind":"appraisal","weight":0.3}]},
         "levels":[{"id":"strongest","title":"最强党支部","minScore":90,"quota":0.3},
                   {"id":"advanced","title":"先进党支部","minScore":80},
                   {"id":"qualified","title":"合格党支部","minScore":60}],
         "schedule":{"selfAssessment":"P14D","townshipReview":"P7D","countyScoring":"P10D","publicity":"P5D"},
         "scorersPerBranch":1,"maxReturns":2,
         "appraisal":{"window":"P7D","choices":[{"id":"satisfied","title":"满意","value":100},
                      {"id":"fair","title":"基本满意","value":80},
                      {"id":"dissatisfied","title":"不满意","value":0}],"minParticipation":0.6667,
                      "gate":{"minSatisfaction":0.6,"capsAt":"qualified"}}}
        """;

    /// <summary>The template for <paramref name="unit"/> (named <paramref name="unitName"/>) in <paramref name="year"/>.</summary>
    public static JsonObject For(string unit, string unitName, int year)
    {
        JsonObject campaign = JsonNode.Parse(Json)!.AsObject();
        Retarget(campaign, unit, unitName, year);
        return campaign;
    }

    /// <summary>Gives a copied definition its new id, title, unit and year.</summary>
    public static void Retarget(JsonObject campaign, string unit, string unitName, int year)
    {
        campaign["id"] = $"{unit.Split('.')[^1]}-{year}";
        campaign["title"] = $"{unitName}{year}年度最强党支部评定";
        campaign["unit"] = unit;
        campaign["year"] = year;
    }
}
