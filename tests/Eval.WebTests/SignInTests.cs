using System.Net;
using Eval.Web.Pages;

namespace Eval.WebTests;

public sealed class SignInTests : ChineseCulture
{
    [Fact]
    public void A_unit_that_does_not_exist_is_shown_beside_its_field_and_nobody_is_signed_in()
    {
        Api.Problem("/api/dev/token", HttpStatusCode.UnprocessableEntity, """
            {"type":"https://eval.example/problems/validation","title":"The request body is not valid.","status":422,
             "errors":[{"pointer":"/unit","detail":"A unit that exists (load the demo data with ./eval up)."}]}
            """);
        IRenderedComponent<SignIn> page = Render<SignIn>();

        page.Find("input#unit").Change("chifeng.nowhere");
        page.Find("form").Submit();

        page.WaitForAssertion(() => Assert.Contains("A unit that exists", page.Find(".mud-input-control:has(#unit)").TextContent));
        Assert.Contains("\"unit\":\"chifeng.nowhere\"", Api.Bodies.Single());
        Assert.DoesNotContain(JSInterop.Invocations, i => i.Identifier == "localStorage.setItem");
        Assert.False(page.Find("button[type=submit]").HasAttribute("disabled")); // free to try again
    }

    [Fact]
    public void A_token_is_kept_and_the_inbox_opens()
    {
        Api.Answer("/api/dev/token", """
            {"token":"t.o.k","expiresAt":"2099-01-01T00:00:00+00:00","role":"township-reviewer","unit":"chifeng.hongshan.t01",
             "unitName":"红山区某街道","name":"王审核"}
            """);
        IRenderedComponent<SignIn> page = Render<SignIn>();

        page.Find("input#unit").Change("chifeng.hongshan.t01");
        page.Find("form").Submit();

        page.WaitForAssertion(() => Assert.Single(JSInterop.Invocations, i => i.Identifier == "localStorage.setItem"));
        JSRuntimeInvocation kept = JSInterop.Invocations.Single(i => i.Identifier == "localStorage.setItem");
        Assert.Contains("\"Token\":\"t.o.k\"", kept.Arguments[1]!.ToString());
        Assert.Equal("http://localhost/", Services.GetRequiredService<NavigationManager>().Uri);
    }
}
