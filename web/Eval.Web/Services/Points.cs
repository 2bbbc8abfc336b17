namespace Eval.Web.Services;

/// <summary>Points as the app writes them: as many decimals as they have, up to two (23, 22.5, 88.25).</summary>
public static class Points
{
    public static string Text(decimal points) => points.ToString("0.##");
}
