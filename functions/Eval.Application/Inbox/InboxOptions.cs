using System.Globalization;
using Eval.Workflows.Domain;

namespace Eval.Application.Inbox;

/// <summary>Settings section "Inbox" (Inbox__YellowWithin as an app setting).</summary>
public sealed class InboxOptions
{
    public const string Section = "Inbox";

    /// <summary>
    /// An item due within this long is yellow (red once overdue, green before): an ISO-8601 duration such as PT48H, or a
    /// TimeSpan such as 2.00:00:00.
    /// </summary>
    public string YellowWithin { get; set; } = "PT48H";

    public TimeSpan Yellow => IsoDuration.TryParse(YellowWithin, out TimeSpan iso) ? iso
        : TimeSpan.TryParse(YellowWithin, CultureInfo.InvariantCulture, out TimeSpan span) && span >= TimeSpan.Zero ? span
        : throw new InvalidOperationException(
            $"Setting 'Inbox:YellowWithin' is '{YellowWithin}': an ISO-8601 duration (PT48H) or a TimeSpan (2.00:00:00).");
}
