namespace Eval.Web.Resources;

/// <summary>The app's words: Strings.resx holds the Chinese (the default), Strings.en.resx the English.</summary>
public sealed class Strings;
