namespace Eval.Application.Objections;

/// <summary>Settings section "Objections" (Objections__MaxPerCaller as an app setting).</summary>
public sealed class ObjectionOptions
{
    public const string Section = "Objections";

    /// <summary>How many objections one person may file in one campaign (one open per branch at a time in any case).</summary>
    public int MaxPerCaller { get; set; } = 10;
}
