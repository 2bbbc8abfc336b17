using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Eval.FunctionalTests.Infrastructure;
using Eval.Workflows.Domain;

namespace Eval.FunctionalTests;

/// <summary>Branches import with their category (村, 社区, …), by which a campaign picks its rubric; other units have none.</summary>
public sealed class UnitCategoryTests(LocalHostFixture fx) : IClassFixture<LocalHostFixture>, IDisposable
{
    readonly CampaignDriver driver = new(fx.Host);

    public void Dispose() => driver.Dispose();

    [Fact]
    public async Task A_branch_keeps_its_category_and_a_township_may_not_have_one()
    {
        string county = "chifeng.k" + Guid.NewGuid().ToString("N")[..10];
        using HttpClient org = driver.As(Roles.OrgDepartment, "chifeng");
        object Unit(string id, string name, string kind, string? category = null) =>
            category is null ? new { id, name, kind } : new { id, name, kind, category };

        using HttpResponseMessage refused = await org.PutAsJsonAsync("api/units", new
        {
            units = new[]
            {
                Unit("chifeng", "赤峰市", "city"), Unit(county, "测试旗", "county"),
                Unit(county + ".t01", "第一苏木", "township", BranchCategories.Village),
            },
        });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Contains("/units/2/category", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await org.GetAsync($"api/units/{county}")).StatusCode);

        await CampaignDriver.Expect(await org.PutAsJsonAsync("api/units", new
        {
            units = new[]
            {
                Unit("chifeng", "赤峰市", "city"), Unit(county, "测试旗", "county"),
                Unit(county + ".t01", "第一苏木", "township"),
                Unit(county + ".t01.b001", "第一嘎查党支部", "branch", BranchCategories.Village),
                Unit(county + ".t01.b002", "第一社区党支部", "branch", BranchCategories.Community),
                Unit(county + ".t01.b003", "某公司党支部", "branch"),
            },
        }), HttpStatusCode.OK);

        JsonElement township = await org.GetFromJsonAsync<JsonElement>($"api/units/{county}.t01");
        Assert.False(township.TryGetProperty("category", out _));
        Assert.Equal(["village", "community", null], township.GetProperty("children").EnumerateArray()
            .Select(c => c.TryGetProperty("category", out JsonElement k) ? k.GetString() : null));
        JsonElement branch = await org.GetFromJsonAsync<JsonElement>($"api/units/{county}.t01.b002");
        Assert.Equal("community", branch.GetProperty("category").GetString());
    }
}
