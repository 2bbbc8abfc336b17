using System.Text.Json;
using Eval.Workflows.Domain;
using Eval.Workflows.Schemas;
using Eval.Workflows.Storage;
using Microsoft.Extensions.Logging;

namespace Eval.Application.Rehearsals;

/// <summary>What to try: other levels (quotas, allocations, gates), ranking within categories or not, another unity weight.</summary>
public sealed record RehearsalRequest(IReadOnlyList<Level>? Levels, bool? RankWithinCategory, decimal? UnityWeight);

/// <summary>How many branches one unit under the campaign's would have at each level (none included).</summary>
public sealed record RehearsalUnit(string Unit, string Name, IReadOnlyDictionary<string, int> Levels);

/// <summary>A rehearsal's answer: counts per level, in all and per unit under the campaign's; never a branch.</summary>
public sealed record RehearsalResult(string CampaignId, DateTimeOffset At, RehearsalRequest Tried, int Ranked,
    IReadOnlyDictionary<string, int> Levels, IReadOnlyList<RehearsalUnit> Units);

/// <summary>
/// Quota rehearsals (试算): before the public notice, the organization department tries other levels, allocations or
/// weights on the real scores and sees counts per level per unit, never names. Each rehearsal is linked into the
/// campaign's audit chain with what was tried and what it gave, so rules cannot be tuned quietly to pick winners.
/// </summary>
public sealed class RehearsalCommands(CampaignAccess access, RankingReader reader, AuditStore audit, TimeProvider clock,
    ILogger<RehearsalCommands> log)
{
    public async Task<Result<RehearsalResult>> RunAsync(Caller caller, string campaignId, Func<Task<Result<string>>> readBody,
        CancellationToken ct)
    {
        var (campaign, _, missing) = await access.LoadAsync(campaignId, ct);
        if (missing is not null) return missing;
        if (!CampaignAccess.CanRun(caller, campaign!))
            return Problem.Forbidden("Rehearsals are run by the organization department over the campaign's unit.");
        Result<RehearsalRequest> body =
            await CommandBody.ReadAsync<RehearsalRequest>(readBody, await SchemaCatalog.GetAsync(SchemaCatalog.Rehearsal));
        if (!body.Ok) return body.Problem;
        if (campaign!.Status != CampaignStatus.Running)
            return Problem.Conflict($"The campaign is {campaign.Status}: rehearsals are run before the public notice opens.");

        RehearsalRequest tried = body.Value;
        CampaignDefinition current = campaign.Definition;
        CampaignDefinition rehearsed = current with
        {
            Levels = tried.Levels ?? current.Levels,
            RankWithinCategory = tried.RankWithinCategory ?? current.RankWithinCategory,
        };
        if (await CheckAsync(rehearsed, tried.UnityWeight) is { Count: > 0 } errors) return Problem.Validation(errors);

        Func<Rubric, Rubric>? rescore = tried.UnityWeight is { } weight ? r => r with { UnityWeight = weight } : null;
        List<RankingEntry> entries = await reader.EntriesAsync(rehearsed, campaignId, rescore, ct);
        IReadOnlyList<RankedBranch> ranking = Ranking.Rank(entries, rehearsed.RankedLevels(), rehearsed.Rubric.UnityMinShare,
            rehearsed.RankWithinCategory);

        // Counted per unit one level below the campaign's: the counties of a city, the townships of a county.
        int depth = UnitPath.Depth(current.Unit) + 1;
        Dictionary<string, string> names = await reader.UnitNamesAsync(current.Unit, depth, ct);
        string[] levelIds = [.. rehearsed.Levels.Select(l => l.Id), Ranking.NoLevel];
        Dictionary<string, int> Count(IEnumerable<RankedBranch> ranked) =>
            levelIds.ToDictionary(id => id, id => ranked.Count(r => r.Level == id), StringComparer.Ordinal);
        List<RehearsalUnit> units = [.. ranking.GroupBy(r => UnitPath.AncestorAt(r.BranchId, depth), StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new RehearsalUnit(g.Key, names.GetValueOrDefault(g.Key) ?? g.Key, Count(g)))];
        var result = new RehearsalResult(campaignId, clock.GetUtcNow(), tried, ranking.Count, Count(ranking), units);

        string detail = $"tried {JsonSerializer.Serialize(tried, Json.Options)}; gave " +
            string.Join(", ", result.Levels.Select(l => $"{l.Key} {l.Value}"));
        await audit.AppendToCampaignAsync(campaignId,
            new HistoryEntry(result.At, caller.Id, Roles.OrgDepartment, HistoryActions.Rehearsal, detail), ct);
        log.LogInformation("Campaign {CampaignId} rehearsal by {CallerId}: {Ranked} ranked", campaignId, caller.Id, ranking.Count);
        return result;
    }

    // As a client writes the definition: absent members left out rather than written as null.
    static readonly JsonSerializerOptions AsBody = new(Json.Options)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>
    /// The campaign with what is tried, through the campaign's schema and rules: the errors at the request's pointers
    /// (its levels are the campaign's levels; the unity weight is the rubric's).
    /// </summary>
    static async Task<IReadOnlyList<FieldError>> CheckAsync(CampaignDefinition rehearsed, decimal? unityWeight)
    {
        CampaignDefinition checkedDefinition =
            unityWeight is { } w ? rehearsed with { Rubric = rehearsed.Rubric with { UnityWeight = w } } : rehearsed;
        IReadOnlyList<FieldError> errors = JsonValidator.Validate(await SchemaCatalog.GetAsync(SchemaCatalog.Campaign),
            JsonSerializer.Serialize(checkedDefinition, AsBody));
        if (errors.Count == 0) errors = CampaignRules.Validate(checkedDefinition);
        return [.. errors.Select(e => e.Pointer.StartsWith("/rubric/unityWeight", StringComparison.Ordinal)
            ? e with { Pointer = "/unityWeight" } : e)];
    }
}
