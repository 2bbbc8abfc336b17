using System.Security.Cryptography;
using Eval.Workflows.Domain;

namespace Eval.Workflows.Notifications;

/// <summary>
/// A webhook subscription of a unit, made by its organization department: the notifications addressed to the unit or any
/// unit below it, of the types it names, are delivered to its URL, signed with its secret (kept apart: never in this record).
/// </summary>
/// <param name="Types">The <see cref="NotificationTypes"/> it receives.</param>
/// <param name="SecretSetAt">When its secret was made (at creation, or at its last rotation).</param>
/// <param name="DeletedAt">When it was deleted: it receives nothing more, its row stays (with its deliveries) without a secret.</param>
public sealed record Subscription(string Id, string Unit, string Url, IReadOnlyList<string> Types, string? Description,
    Actor CreatedBy, DateTimeOffset CreatedAt, DateTimeOffset SecretSetAt, DateTimeOffset? DeletedAt = null)
{
    [System.Text.Json.Serialization.JsonIgnore]
    public bool Deleted => DeletedAt is not null;

    public const string IdPrefix = "sub-";

    public static string NewId() => IdPrefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));

    public static bool IsValidId(string? id) =>
        id is { Length: 28 } && id.StartsWith(IdPrefix, StringComparison.Ordinal) && id[4..].All(char.IsAsciiHexDigitLower);

    /// <summary>Whether a notification of <paramref name="type"/> addressed to <paramref name="unit"/> is delivered here.</summary>
    public bool Receives(string type, string unit) => !Deleted &&
        Types.Contains(type, StringComparer.Ordinal) && UnitPath.IsValid(unit) && UnitPath.Covers(Unit, unit);
}

/// <summary>
/// The secrets a subscription's deliveries are signed with: its secret, and for a while after a rotation the one before
/// (Standard Webhooks lets a signature header carry several: a receiver that still has the old secret goes on verifying).
/// </summary>
public sealed record SigningSecrets(string Current, string? Previous, DateTimeOffset? PreviousUntil)
{
    /// <summary>How long a rotated secret still signs, beside the new one.</summary>
    public static readonly TimeSpan PreviousKeptFor = TimeSpan.FromHours(24);

    public IEnumerable<string> At(DateTimeOffset now) =>
        Previous is not null && PreviousUntil > now ? [Current, Previous] : [Current];
}
