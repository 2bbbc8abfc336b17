using Eval.Workflows.Domain;

namespace Eval.Workflows.Schemas;

/// <summary>
/// What a campaign must satisfy beyond its JSON schema: rules across items (unique ids, level order), rules the
/// schema language cannot say (durations, the unit's kind), and the ranges again, for definitions built in code.
/// Run it after the schema: it assumes the shape is right and reports at the same pointers the body has.
/// </summary>
public static class CampaignRules
{
    /// <summary>Level ids the results use for branches that reach no level or lose theirs.</summary>
    public static readonly IReadOnlyList<string> ReservedLevelIds = ["none", "revoked"];

    public static IReadOnlyList<FieldError> Validate(CampaignDefinition campaign)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        var errors = new List<FieldError>();
        CheckUnit(campaign.Unit, errors);
        if (campaign.Rubric is { } rubric)
        {
            CheckCriteria(rubric.Criteria ?? [], errors);
            CheckVetoItems(rubric.VetoItems ?? [], errors);
        }
        CheckLevels(campaign.Levels ?? [], errors);
        if (campaign.Schedule is { } schedule)
            CheckSchedule(schedule, errors);
        return errors.Distinct().OrderBy(e => e.Pointer, JsonPointer.Order).ToList();
    }

    // A campaign ranks the branches of one county, or of the whole city, against each other.
    static void CheckUnit(string? unit, List<FieldError> errors)
    {
        if (unit is null || !UnitPath.IsValid(unit))
            errors.Add(new FieldError("/unit", "must be a unit id"));
        else if (UnitPath.Depth(unit) > 2)
            errors.Add(new FieldError("/unit", $"must be a city or a county, not a {UnitPath.KindOf(unit)}"));
    }

    static void CheckCriteria(IReadOnlyList<Criterion> criteria, List<FieldError> errors)
    {
        const string pointer = "/rubric/criteria";
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < criteria.Count; i++)
        {
            string item = JsonPointer.Append(pointer, i);
            if (!seen.Add(criteria[i].Id))
                errors.Add(new FieldError(item + "/id", $"duplicate criterion id '{criteria[i].Id}'"));
            if (criteria[i].MaxPoints <= 0)
                errors.Add(new FieldError(item + "/maxPoints", "must be > 0"));
        }
        if (!criteria.Any(c => c.Unity))
            errors.Add(new FieldError(pointer, "needs at least one unity criterion (unity: true)"));
    }

    static void CheckVetoItems(IReadOnlyList<VetoItem> vetoItems, List<FieldError> errors)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < vetoItems.Count; i++)
            if (!seen.Add(vetoItems[i].Id))
                errors.Add(new FieldError(JsonPointer.Append("/rubric/vetoItems", i) + "/id",
                    $"duplicate veto item id '{vetoItems[i].Id}'"));
    }

    // The levels are tried top down and a branch gets the first it qualifies for, so each must ask for less than the one above.
    static void CheckLevels(IReadOnlyList<Level> levels, List<FieldError> errors)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < levels.Count; i++)
        {
            Level level = levels[i];
            string item = JsonPointer.Append("/levels", i);
            if (!seen.Add(level.Id))
                errors.Add(new FieldError(item + "/id", $"duplicate level id '{level.Id}'"));
            if (ReservedLevelIds.Contains(level.Id, StringComparer.Ordinal))
                errors.Add(new FieldError(item + "/id", $"'{level.Id}' is reserved"));
            if (i > 0 && level.MinScore >= levels[i - 1].MinScore)
                errors.Add(new FieldError(item + "/minScore",
                    $"must be lower than the previous level's minScore ({levels[i - 1].MinScore})"));
            if (level.Quota is { } quota && (quota <= 0 || quota > 1))
                errors.Add(new FieldError(item + "/quota", "must be > 0 and ≤ 1"));
        }
    }

    static void CheckSchedule(Schedule schedule, List<FieldError> errors)
    {
        CheckDuration("/schedule/selfAssessment", schedule.SelfAssessment, errors);
        CheckDuration("/schedule/townshipReview", schedule.TownshipReview, errors);
        CheckDuration("/schedule/countyScoring", schedule.CountyScoring, errors);
        CheckDuration("/schedule/publicity", schedule.Publicity, errors);
    }

    static void CheckDuration(string pointer, string? text, List<FieldError> errors)
    {
        if (!IsoDuration.TryParse(text, out TimeSpan duration))
            errors.Add(new FieldError(pointer, "must be an ISO-8601 duration in weeks, days, hours, minutes or seconds, e.g. P14D"));
        else if (duration <= TimeSpan.Zero)
            errors.Add(new FieldError(pointer, "must be longer than zero"));
    }
}
