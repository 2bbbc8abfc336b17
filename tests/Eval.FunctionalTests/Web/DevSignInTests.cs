using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Eval.FunctionalTests.Infrastructure;
using Eval.LocalHost;

namespace Eval.FunctionalTests.Web;

/// <summary>The local host's development sign-in, which the web app's sign-in page calls; the Functions app has no such route.</summary>
public sealed class DevSignInTests(LocalHostFixture fixture) : IClassFixture<LocalHostFixture>
{
    [Fact]
    public async Task A_token_for_a_role_at_a_unit_that_exists_opens_the_API()
    {
        using var driver = new CampaignDriver(fixture.Host);
        TestCounty county = await driver.CreateCountyAsync(townships: 1, branchesPerTownship: 1);

        using HttpResponseMessage issued = await fixture.Http.PostAsJsonAsync(DevSignIn.Route,
            new { role = "county-scorer", unit = county.Id, name = "李评分" });
        Assert.Equal(HttpStatusCode.OK, issued.StatusCode);
        JsonElement body = await issued.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("测试旗", body.GetProperty("unitName").GetString());
        Assert.Equal("李评分", body.GetProperty("name").GetString());

        using var inbox = new HttpRequestMessage(HttpMethod.Get, "api/inbox");
        inbox.Headers.Authorization = new("Bearer", body.GetProperty("token").GetString());
        using HttpResponseMessage answered = await fixture.Http.SendAsync(inbox);
        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
    }

    [Theory]
    [InlineData("""{"role":"mayor","unit":"chifeng"}""", "/role")]
    [InlineData("""{"role":"member","unit":"chifeng.nowhere"}""", "/unit")]
    [InlineData("""{"role":"member","unit":"Not A Unit"}""", "/unit")]
    [InlineData("""{"role":"member","unit":"chifeng","name":"a\u202Eb"}""", "/name")]
    public async Task A_role_or_unit_that_is_not_one_is_refused_at_its_field(string json, string pointer)
    {
        using HttpResponseMessage refused = await fixture.Http.PostAsync(DevSignIn.Route,
            new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        JsonElement problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains(problem.GetProperty("errors").EnumerateArray(), e => e.GetProperty("pointer").GetString() == pointer);
    }
}
