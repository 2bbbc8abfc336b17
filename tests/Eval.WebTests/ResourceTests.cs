using System.Xml.Linq;

namespace Eval.WebTests;

public sealed class ResourceTests
{
    static readonly string Resources = Path.Combine(Repo.Root, "web", "Eval.Web", "Resources");

    static string[] Keys(string file) => XDocument.Load(Path.Combine(Resources, file)).Root!.Elements("data")
        .Select(d => (string)d.Attribute("name")!).Order(StringComparer.Ordinal).ToArray();

    [Fact]
    public void Chinese_and_English_hold_the_same_words()
    {
        string[] chinese = Keys("Strings.resx");
        Assert.NotEmpty(chinese);
        Assert.Equal(chinese, Keys("Strings.en.resx"));
    }
}
