using Eval.Application.Honours;

namespace Eval.UnitTests.Api;

/// <summary>The public address the plaques' QR codes and the verification page's links are made from.</summary>
public sealed class PublicAddressTests
{
    [Theory]
    [InlineData("https://eval.example.org", null, "https://eval.example.org")]
    [InlineData("https://eval.example.org/", "eval-prod.azurewebsites.net", "https://eval.example.org")]
    [InlineData("https://example.org/eval/", null, "https://example.org/eval")]
    [InlineData(null, "eval-prod.azurewebsites.net", "https://eval-prod.azurewebsites.net")]
    [InlineData("", "localhost:7071", "http://localhost:7071")]
    public void The_setting_wins_else_the_platforms_host_name(string? setting, string? websiteHostName, string expected)
    {
        PublicAddress address = PublicAddress.From(setting, websiteHostName)!;
        Assert.Equal(expected, address.Base);
        Assert.Equal($"{expected}/api/public/honours/hongshan-2026/chifeng.hongshan.t01.b001",
            address.HonourPage("hongshan-2026", "chifeng.hongshan.t01.b001"));
        Assert.Equal($"{expected}/api/campaigns/hongshan-2026/ratings.jws?version=3", address.SignedList("hongshan-2026", 3));
    }

    [Fact]
    public void Without_either_there_is_none() => Assert.Null(PublicAddress.From(null, " "));

    [Theory]
    [InlineData("ftp://eval.example.org")]
    [InlineData("https://eval.example.org/?next=evil")]
    [InlineData("https://eval.example.org/#x")]
    [InlineData("/plaques")]
    [InlineData("eval.example.org")]
    public void An_address_that_is_not_a_plain_http_one_is_refused(string setting) =>
        Assert.Throws<ArgumentException>(() => PublicAddress.From(setting, null));
}
