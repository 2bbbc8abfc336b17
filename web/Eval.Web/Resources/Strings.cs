using Microsoft.Extensions.Localization;

namespace Eval.Web.Resources;

/// <summary>The app's words: Strings.resx holds the Chinese (the default), Strings.en.resx the English.</summary>
public sealed class Strings;

public static class StringsExtensions
{
    /// <summary>
    /// The word for one of the API's codes (a stage, a level, a status), kept as "{group}.{code}"; a code the app has no
    /// word for (a campaign's own level id) is shown as it is.
    /// </summary>
    public static string NameOf(this IStringLocalizer<Strings> words, string group, string code) =>
        words[$"{group}.{code}"] is { ResourceNotFound: false } known ? known : code;
}
