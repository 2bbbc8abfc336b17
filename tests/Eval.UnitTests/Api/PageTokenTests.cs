using Eval.Application;

namespace Eval.UnitTests.Api;

public sealed class PageTokenTests
{
    // Azure Table Storage's continuation keys look like this; Azurite's are plain base64. Both must pass through untouched.
    [Theory]
    [InlineData("1!20!aG9uZ3NoYW4tMjAyNg-- 1!48!Y2hpZmVuZy5ob25nc2hhbi50MDEuYjAwNQ--")]
    [InlineData("aG9uZ3NoYW4tMjAyNg== Y2hpZmVuZy5ob25nc2hhbi50MDEuYjAwNQ==")]
    public void A_sealed_token_opens_to_the_table_token_for_the_same_listing(string tableToken)
    {
        string sealedToken = PageToken.Seal(tableToken, "hongshan-2026", "chifeng.hongshan", "awaiting-township-review");
        Assert.Equal(tableToken, PageToken.Open(sealedToken, "hongshan-2026", "chifeng.hongshan", "awaiting-township-review"));
        Assert.DoesNotContain(' ', sealedToken);
        Assert.DoesNotContain('+', sealedToken);
    }

    [Fact]
    public void A_token_opens_only_for_the_campaign_unit_and_stage_it_was_sealed_for()
    {
        string t = PageToken.Seal("a b", "c1", "chifeng.x", null);
        Assert.Equal("a b", PageToken.Open(t, "c1", "chifeng.x", null));
        Assert.Null(PageToken.Open(t, "c2", "chifeng.x", null));
        Assert.Null(PageToken.Open(t, "c1", "chifeng.x.t01", null));
        Assert.Null(PageToken.Open(t, "c1", "chifeng.x", "done"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not base64 at all!")]
    [InlineData("aGVsbG8")]          // base64url of "hello": no envelope
    [InlineData("_-_-_-_-")]          // bytes that are not UTF-8
    public void Anything_else_does_not_open(string token) => Assert.Null(PageToken.Open(token, "c1", "chifeng.x", null));

    [Fact]
    public void An_overlong_token_does_not_open() =>
        Assert.Null(PageToken.Open(PageToken.Seal(new string('k', 5000), "c1", "chifeng.x", null), "c1", "chifeng.x", null));
}
