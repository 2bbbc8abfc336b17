using Eval.Workflows.Domain;

namespace Eval.Workflows.Schemas;

/// <summary>
/// The deductions, bonuses and flags a reviewer or scorer gives name items of the branch's rubric, each item once (one
/// line says how many occurrences, or how many points), and a bonus is at most its item's maximum.
/// </summary>
public static class AdjustmentRules
{
    public static IReadOnlyList<FieldError> Check(Rubric rubric, IReadOnlyList<AppliedDeduction>? deductions,
        IReadOnlyList<AwardedBonus>? bonuses, IReadOnlyList<string>? flags)
    {
        ArgumentNullException.ThrowIfNull(rubric);
        var errors = new List<FieldError>();
        CheckItems("/deductions", deductions?.Select(d => d.Item).ToList(), (rubric.Deductions ?? []).Select(d => d.Id), "deduction",
            errors);
        CheckItems("/bonuses", bonuses?.Select(b => b.Item).ToList(), (rubric.Bonuses ?? []).Select(b => b.Id), "bonus", errors);
        CheckItems("/flags", flags, (rubric.Flags ?? []).Select(f => f.Id), "flag", errors, field: null);
        for (int i = 0; i < (bonuses?.Count ?? 0); i++)
            if ((rubric.Bonuses ?? []).FirstOrDefault(b => b.Id == bonuses![i].Item) is { } item && bonuses![i].Points > item.MaxPoints)
                errors.Add(new FieldError(JsonPointer.Append("/bonuses", i) + "/points",
                    $"must be at most {item.MaxPoints} ({item.Title})"));
        return errors;
    }

    static void CheckItems(string pointer, IReadOnlyList<string>? named, IEnumerable<string> items, string what, List<FieldError> errors,
        string? field = "item")
    {
        if (named is null) return;
        var known = items.ToHashSet(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < named.Count; i++)
        {
            string at = JsonPointer.Append(pointer, i) + (field is null ? "" : "/" + field);
            if (!known.Contains(named[i]))
                errors.Add(new FieldError(at, known.Count == 0 ? $"the branch's rubric has no {what} items"
                    : $"must be a {what} item of the branch's rubric: {string.Join(", ", known)}"));
            else if (!seen.Add(named[i]))
                errors.Add(new FieldError(at, $"names {what} item '{named[i]}' a second time: give it once"));
        }
    }
}
