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
            CheckRubric(rubric, "/rubric", campaign.Appraisal is not null, errors);
        foreach ((string category, Rubric categoryRubric) in campaign.Rubrics ?? new Dictionary<string, Rubric>())
        {
            string pointer = JsonPointer.Append("/rubrics", category);
            if (!BranchCategories.All.Contains(category, StringComparer.Ordinal))
                errors.Add(new FieldError(pointer, $"must be a category of branch: {string.Join(", ", BranchCategories.All)}"));
            else if (categoryRubric is not null)
                CheckRubric(categoryRubric, pointer, campaign.Appraisal is not null, errors);
        }
        CheckLevels(campaign.Levels ?? [], errors);
        CheckAllocations(campaign, errors);
        CheckGates(campaign, errors);
        if (campaign.Schedule is { } schedule)
            CheckSchedule(schedule, errors);
        if (campaign.Appraisal is { } appraisal)
            CheckAppraisal(appraisal, campaign.Levels ?? [], errors);
        foreach (var (before, i) in (campaign.Reminders?.Before ?? []).Select((b, i) => (b, i)))
            CheckDuration(JsonPointer.Append("/reminders/before", i), before, errors);
        if (campaign.HonourChanges is { } changes)
        {
            if (changes.DecisionWithin is not null) CheckDuration("/honourChanges/decisionWithin", changes.DecisionWithin, errors);
            if (changes.NoticeFor is not null) CheckDuration("/honourChanges/noticeFor", changes.NoticeFor, errors);
            foreach (var (reason, i) in (changes.Reasons ?? []).Select((r, i) => (r, i)))
                if (!HonourReasons.Proposable.Contains(reason, StringComparer.Ordinal))
                    errors.Add(new FieldError(JsonPointer.Append("/honourChanges/reasons", i),
                        $"must be one of {string.Join(", ", HonourReasons.Proposable)}"));
        }
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

    static void CheckRubric(Rubric rubric, string pointer, bool hasAppraisal, List<FieldError> errors)
    {
        CheckCriteria(rubric, pointer, errors);
        CheckUniqueIds(pointer + "/vetoItems", (rubric.VetoItems ?? []).Select(v => v.Id).ToList(), "veto item", errors);
        CheckUniqueIds(pointer + "/flags", (rubric.Flags ?? []).Select(f => f.Id).ToList(), "flag", errors);
        CheckSections(rubric, pointer, errors);
        CheckAdjustments(rubric, pointer, errors);
        CheckComponents(rubric, pointer + "/components", hasAppraisal, errors);
    }

    static void CheckCriteria(Rubric rubric, string rubricPointer, List<FieldError> errors)
    {
        string pointer = rubricPointer + "/criteria";
        IReadOnlyList<Criterion> criteria = rubric.Criteria ?? [];
        CheckUniqueIds(pointer, criteria.Select(c => c.Id).ToList(), "criterion", errors);
        for (int i = 0; i < criteria.Count; i++)
            if (criteria[i].MaxPoints <= 0)
                errors.Add(new FieldError(JsonPointer.Append(pointer, i) + "/maxPoints", "must be > 0"));
        if (!criteria.Any(rubric.IsUnity))
            errors.Add(new FieldError(pointer, "needs at least one unity criterion (unity: true, or in a unity section)"));
    }

    // Sections group every criterion or none: a rubric with sections shows each criterion under one.
    static void CheckSections(Rubric rubric, string pointer, List<FieldError> errors)
    {
        IReadOnlyList<RubricSection> sections = rubric.Sections ?? [];
        CheckUniqueIds(pointer + "/sections", sections.Select(s => s.Id).ToList(), "section", errors);
        var ids = sections.Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
        IReadOnlyList<Criterion> criteria = rubric.Criteria ?? [];
        for (int i = 0; i < criteria.Count; i++)
        {
            string item = JsonPointer.Append(pointer + "/criteria", i) + "/section";
            if (sections.Count == 0 && criteria[i].Section is not null)
                errors.Add(new FieldError(item, $"names a section, but the rubric has none ({pointer}/sections)"));
            else if (sections.Count > 0 && (criteria[i].Section is not { } section || !ids.Contains(section)))
                errors.Add(new FieldError(item, $"must be one of the rubric's sections: {string.Join(", ", ids)}"));
        }
        for (int i = 0; i < sections.Count; i++)
            if (criteria.All(c => c.Section != sections[i].Id))
                errors.Add(new FieldError(JsonPointer.Append(pointer + "/sections", i), $"section '{sections[i].Id}' has no criterion"));
    }

    static void CheckAdjustments(Rubric rubric, string pointer, List<FieldError> errors)
    {
        IReadOnlyList<DeductionItem> deductions = rubric.Deductions ?? [];
        CheckUniqueIds(pointer + "/deductions", deductions.Select(d => d.Id).ToList(), "deduction item", errors);
        for (int i = 0; i < deductions.Count; i++)
        {
            string item = JsonPointer.Append(pointer + "/deductions", i);
            if (deductions[i].PointsEach <= 0)
                errors.Add(new FieldError(item + "/pointsEach", "must be > 0"));
            else if (deductions[i].Cap < deductions[i].PointsEach)
                errors.Add(new FieldError(item + "/cap", $"must be at least pointsEach ({deductions[i].PointsEach})"));
        }
        IReadOnlyList<BonusItem> bonuses = rubric.Bonuses ?? [];
        CheckUniqueIds(pointer + "/bonuses", bonuses.Select(b => b.Id).ToList(), "bonus item", errors);
        for (int i = 0; i < bonuses.Count; i++)
            if (bonuses[i].MaxPoints <= 0)
                errors.Add(new FieldError(JsonPointer.Append(pointer + "/bonuses", i) + "/maxPoints", "must be > 0"));
        if (rubric.BonusCap is { } bonusCap && bonusCap <= 0)
            errors.Add(new FieldError(pointer + "/bonusCap", "must be > 0"));
        if (rubric.BonusCap is not null && bonuses.Count == 0)
            errors.Add(new FieldError(pointer + "/bonusCap", "caps bonuses, but the rubric has no bonus items"));
        if (rubric.MaxTotal is { } maxTotal && maxTotal <= 0)
            errors.Add(new FieldError(pointer + "/maxTotal", "must be > 0"));
    }

    // The weights share out the whole score: basic is always part of it, each kind once, and they add up to exactly 1.
    static void CheckComponents(Rubric rubric, string pointer, bool hasAppraisal, List<FieldError> errors)
    {
        IReadOnlyList<ScoreComponent> components = rubric.Components ?? [];
        if (components.Count == 0) return;
        CheckUniqueIds(pointer, components.Select(c => c.Kind).ToList(), "component", errors, "kind");
        for (int i = 0; i < components.Count; i++)
        {
            string item = JsonPointer.Append(pointer, i);
            if (!ScoreComponents.All.Contains(components[i].Kind, StringComparer.Ordinal))
                errors.Add(new FieldError(item + "/kind", $"must be one of: {string.Join(", ", ScoreComponents.All)}"));
            // Without the campaign's appraisal (民主测评) a weight on it would score every branch 0 there.
            else if (components[i].Kind == ScoreComponents.Appraisal && !hasAppraisal)
                errors.Add(new FieldError(item + "/kind", "needs the campaign's members' appraisal (民主测评, /appraisal)"));
            if (components[i].Weight is <= 0 or > 1)
                errors.Add(new FieldError(item + "/weight", "must be > 0 and ≤ 1"));
        }
        if (components.All(c => c.Kind != ScoreComponents.Basic))
            errors.Add(new FieldError(pointer, $"needs the '{ScoreComponents.Basic}' component"));
        if (components.Sum(c => c.Weight) is var sum && sum != 1m)
            errors.Add(new FieldError(pointer, $"weights must add up to 1, not {sum}"));
    }

    static void CheckUniqueIds(string pointer, IReadOnlyList<string> ids, string what, List<FieldError> errors, string field = "id")
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < ids.Count; i++)
            if (!seen.Add(ids[i]))
                errors.Add(new FieldError($"{JsonPointer.Append(pointer, i)}/{field}", $"duplicate {what} {field} '{ids[i]}'"));
    }

    // The levels are tried top down and a branch gets the first it qualifies for, so each must ask for less than the one above.
    static void CheckLevels(IReadOnlyList<Level> levels, List<FieldError> errors)
    {
        CheckUniqueIds("/levels", levels.Select(l => l.Id).ToList(), "level", errors);
        for (int i = 0; i < levels.Count; i++)
        {
            Level level = levels[i];
            string item = JsonPointer.Append("/levels", i);
            if (ReservedLevelIds.Contains(level.Id, StringComparer.Ordinal))
                errors.Add(new FieldError(item + "/id", $"'{level.Id}' is reserved"));
            if (i > 0 && level.MinScore >= levels[i - 1].MinScore)
                errors.Add(new FieldError(item + "/minScore",
                    $"must be lower than the previous level's minScore ({levels[i - 1].MinScore})"));
            if (level.Quota is { } quota && (quota <= 0 || quota > 1))
                errors.Add(new FieldError(item + "/quota", "must be > 0 and ≤ 1"));
        }
    }

    // Places go to units below the campaign's own unit, named by ids of that kind under it; a share needs a quota.
    static void CheckAllocations(CampaignDefinition campaign, List<FieldError> errors)
    {
        IReadOnlyList<Level> levels = campaign.Levels ?? [];
        if (campaign.Unit is not { } unit || !UnitPath.IsValid(unit)) return;
        for (int i = 0; i < levels.Count; i++)
        {
            if (levels[i].Allocation is not { } allocation) continue;
            string item = JsonPointer.Append("/levels", i) + "/allocation";
            int depth = UnitKinds.DepthOf(allocation.By);
            if (depth is not (2 or 3))
            {
                errors.Add(new FieldError(item + "/by", "must be county or township"));
                continue;
            }
            if (depth <= UnitPath.Depth(unit))
                errors.Add(new FieldError(item + "/by", $"must be a kind of unit under the campaign's {UnitPath.KindOf(unit)}"));
            if (allocation.Places is { } places)
            {
                bool IsPlaceUnit(string id) => UnitPath.IsValid(id) && UnitPath.Depth(id) == depth && UnitPath.Covers(unit, id);
                foreach (string id in places.Keys.Where(id => !IsPlaceUnit(id)))
                    errors.Add(new FieldError(JsonPointer.Append(item + "/places", id), $"must be a {allocation.By} under {unit}"));
                if (places.Values.Any(n => n < 0))
                    errors.Add(new FieldError(item + "/places", "must be 0 or more places each"));
            }
            else if (levels[i].Quota is null)
                errors.Add(new FieldError(item, "needs the level's quota (a share of each unit's branches) or places"));
        }
    }

    /// <summary>The longest period a no-revocation gate may look back: ten years.</summary>
    const int MaxWithinDays = 3650;

    // Each gate kind takes its own parameter and no other (no-revocation's may be left out: a year); a flag gate names a
    // flag every branch's rubric can set.
    static void CheckGates(CampaignDefinition campaign, List<FieldError> errors)
    {
        IReadOnlyList<Level> levels = campaign.Levels ?? [];
        Rubric[] rubrics =
            [.. new[] { campaign.Rubric }.OfType<Rubric>(), .. (campaign.Rubrics ?? new Dictionary<string, Rubric>()).Values];
        for (int i = 0; i < levels.Count; i++)
        {
            IReadOnlyList<LevelGate> gates = levels[i].Gates ?? [];
            for (int g = 0; g < gates.Count; g++)
            {
                LevelGate gate = gates[g];
                string item = JsonPointer.Append(JsonPointer.Append("/levels", i) + "/gates", g);
                (string Name, bool Given)[] parameters =
                [
                    ("minShare", gate.MinShare is not null), ("flag", gate.Flag is not null), ("minFiles", gate.MinFiles is not null),
                    ("withinDays", gate.WithinDays is not null),
                ];
                string? wanted = gate.Kind switch
                {
                    GateKinds.UnityShare => "minShare", GateKinds.Flag => "flag", GateKinds.Evidence => "minFiles",
                    GateKinds.NoRevocation => "withinDays", _ => null,
                };
                if (wanted is null)
                {
                    errors.Add(new FieldError(item + "/kind", $"must be one of: {string.Join(", ", GateKinds.All)}"));
                    continue;
                }
                foreach (var (name, given) in parameters)
                    if (name == wanted && !given && gate.Kind != GateKinds.NoRevocation)
                        errors.Add(new FieldError(item, $"a {gate.Kind} gate needs {name}"));
                    else if (name != wanted && given)
                        errors.Add(new FieldError(item + "/" + name, $"is not a parameter of a {gate.Kind} gate"));
                if (gate.MinShare is { } share && share is < 0 or > 1)
                    errors.Add(new FieldError(item + "/minShare", "must be between 0 and 1"));
                if (gate.MinFiles is { } files && files < 1)
                    errors.Add(new FieldError(item + "/minFiles", "must be 1 or more"));
                if (gate.WithinDays is { } days && days is < 1 or > MaxWithinDays)
                    errors.Add(new FieldError(item + "/withinDays", $"must be from 1 to {MaxWithinDays}"));
                if (gate.Flag is { } flag && rubrics.Any(r => (r.Flags ?? []).All(f => f.Id != flag)))
                    errors.Add(new FieldError(item + "/flag",
                        $"must be a flag of the rubric{(rubrics.Length > 1 ? " of every category" : "")}"));
            }
        }
    }

    // The window is a duration, the choices are told apart by id, and the gate caps at a level below the top one (or none).
    static void CheckAppraisal(AppraisalDefinition appraisal, IReadOnlyList<Level> levels, List<FieldError> errors)
    {
        CheckDuration("/appraisal/window", appraisal.Window, errors);
        IReadOnlyList<AppraisalChoice> choices = appraisal.Choices ?? [];
        CheckUniqueIds("/appraisal/choices", choices.Select(c => c.Id).ToList(), "choice", errors);
        for (int i = 0; i < choices.Count; i++)
            if (choices[i].Value is < 0 or > 100)
                errors.Add(new FieldError(JsonPointer.Append("/appraisal/choices", i) + "/value", "must be 0 to 100"));
        if (choices.Count < 2)
            errors.Add(new FieldError("/appraisal/choices", "needs at least two choices"));
        if (appraisal.MinParticipation is <= 0 or > 1)
            errors.Add(new FieldError("/appraisal/minParticipation", "must be > 0 and ≤ 1"));
        if (appraisal.Gate is not { } gate) return;
        if (gate.MinSatisfaction is <= 0 or > 1)
            errors.Add(new FieldError("/appraisal/gate/minSatisfaction", "must be > 0 and ≤ 1"));
        string[] below = [.. levels.Skip(1).Select(l => l.Id), Ranking.NoLevel];
        if (!below.Contains(gate.CapsAt, StringComparer.Ordinal))
            errors.Add(new FieldError("/appraisal/gate/capsAt", $"must be a level below the top one, or none: {string.Join(", ", below)}"));
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
