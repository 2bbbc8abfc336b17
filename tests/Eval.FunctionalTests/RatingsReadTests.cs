using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Eval.FunctionalTests.Infrastructure;

namespace Eval.FunctionalTests;

/// <summary>
/// The public ratings list carries a strong ETag (304 to If-None-Match) and is always revalidated: during the notice an
/// upheld objection can change it, after publication a change of an honour, whose standing the list shows.
/// </summary>
public sealed class RatingsReadTests(LocalHostFixture fx) : IClassFixture<LocalHostFixture>, IDisposable
{
    readonly CampaignDriver driver = new(fx.Host);

    public void Dispose() => driver.Dispose();

    [Fact]
    public async Task The_list_has_an_etag_answers_304_and_shows_each_titles_standing_once_published()
    {
        TestCounty county = await driver.CreateCountyAsync(1, 1);
        string id = "rr-" + Guid.NewGuid().ToString("N")[..8];
        await driver.CreateAndStartAsync(CampaignDriver.Campaign(id, county.Id, "PT10M", "PT10M", "PT10M", "PT15S"), county.Id, 1);
        await driver.ToNoticeAsync(id, county);
        string url = $"api/campaigns/{id}/ratings";

        using HttpResponseMessage notice = await fx.Http.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, notice.StatusCode);
        EntityTagHeaderValue etag = notice.Headers.ETag ?? throw new Xunit.Sdk.XunitException("no ETag");
        Assert.False(etag.IsWeak);
        Assert.True(notice.Headers.CacheControl is { Public: true, NoCache: true }, $"Cache-Control: {notice.Headers.CacheControl}");
        string text = await notice.Content.ReadAsStringAsync();
        Assert.Equal("publicity", JsonDocument.Parse(text).RootElement.GetProperty("status").GetString());
        // Chinese as itself, as every other answer writes it, not as \uXXXX escapes.
        Assert.Contains("\"branchName\":\"第1苏木第1嘎查党支部\"", text, StringComparison.Ordinal);

        await AssertNotModifiedAsync(url, etag.Tag, etag);
        await AssertNotModifiedAsync(url, "W/" + etag.Tag, etag); // If-None-Match compares weakly
        using (HttpResponseMessage other = await GetAsync(url, "\"something-else\""))
            Assert.Equal(HttpStatusCode.OK, other.StatusCode);

        await Poll.UntilAsync(async () =>
        {
            using HttpResponseMessage r = await fx.Http.GetAsync(url);
            return (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString() == "published" ? "ok" : null;
        }, TimeSpan.FromSeconds(90), "publication", () => fx.Host.Output);

        // Published with its register at once; the list is read again when it is signed (version 1), so poll for that.
        await Poll.UntilAsync(async () =>
        {
            using HttpResponseMessage r = await fx.Http.GetAsync($"api/campaigns/{id}/ratings.jws");
            return r.StatusCode == HttpStatusCode.OK ? "signed" : null;
        }, TimeSpan.FromSeconds(30), "the signed list", () => fx.Host.Output);
        using HttpResponseMessage published = await fx.Http.GetAsync(url);
        EntityTagHeaderValue publishedTag = published.Headers.ETag!;
        Assert.NotEqual(etag, publishedTag); // the published list is another document
        Assert.True(published.Headers.CacheControl is { Public: true, NoCache: true }, $"Cache-Control: {published.Headers.CacheControl}");
        JsonElement rating = (await published.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("ratings")[0];
        JsonElement honour = rating.GetProperty("honour");
        Assert.Equal(rating.GetProperty("level").GetString(), honour.GetProperty("currentLevel").GetString());
        Assert.Equal("active", honour.GetProperty("status").GetString());
        await AssertNotModifiedAsync(url, publishedTag.Tag, publishedTag);
        await AssertNotModifiedAsync(url, $"\"x\", {publishedTag.Tag}", publishedTag);
    }

    async Task AssertNotModifiedAsync(string url, string ifNoneMatch, EntityTagHeaderValue etag)
    {
        using HttpResponseMessage r = await GetAsync(url, ifNoneMatch);
        Assert.Equal(HttpStatusCode.NotModified, r.StatusCode);
        Assert.Equal(etag, r.Headers.ETag);
        Assert.Empty(await r.Content.ReadAsByteArrayAsync());
    }

    Task<HttpResponseMessage> GetAsync(string url, string ifNoneMatch)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.TryAddWithoutValidation("If-None-Match", ifNoneMatch);
        return fx.Http.SendAsync(request);
    }
}
