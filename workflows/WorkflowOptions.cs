using Eval.Workflows.Domain;

namespace Eval.Workflows;

/// <summary>Settings of the workflows themselves (section "Workflows").</summary>
public sealed class WorkflowOptions
{
    public const string Section = "Workflows";

    /// <summary>
    /// How long the Durable Task history of a published campaign's finished instances is kept before it is purged (an
    /// ISO-8601 duration such as P30D, or a TimeSpan such as 30.00:00:00). The tables and the audit chain keep the record.
    /// </summary>
    public string HistoryRetention { get; set; } = "P30D";

    public TimeSpan Retention => IsoDuration.TryParse(HistoryRetention, out TimeSpan iso) ? iso
        : TimeSpan.TryParse(HistoryRetention, System.Globalization.CultureInfo.InvariantCulture, out TimeSpan span) && span >= TimeSpan.Zero
            ? span
            : throw new InvalidOperationException(
                $"Setting 'Workflows:HistoryRetention' is '{HistoryRetention}': an ISO-8601 duration (P30D) or a TimeSpan (30.00:00:00).");
}
