using System.Globalization;

namespace Eval.Workflows.Domain;

/// <summary>The kinds of thing that wait on someone (待办): an item's <see cref="InboxItem.Kind"/> (stored: never rename).</summary>
public static class InboxKinds
{
    public const string SelfAssessment = "self-assessment";
    public const string TownshipReview = "township-review";
    public const string CountyScore = "county-score";
    /// <summary>An objection (异议) during a campaign's public notice, to resolve.</summary>
    public const string Objection = "objection";
    /// <summary>A proposed demotion or revocation of an honour (动态管理), to decide.</summary>
    public const string HonourChange = "honour-change";
    /// <summary>An objection to an approved change during its public notice, to resolve (uphold or dismiss).</summary>
    public const string HonourChangeObjection = "honour-change-objection";
    /// <summary>A ballot of the members' appraisal (民主测评), to cast while its window is open.</summary>
    public const string AppraisalBallot = "appraisal-ballot";

    public static readonly IReadOnlyList<string> All =
        [SelfAssessment, TownshipReview, CountyScore, Objection, HonourChange, HonourChangeObjection, AppraisalBallot];
}

/// <summary>
/// One thing waiting on a role at a unit (待办), as table Inbox keeps it: PartitionKey "{role}|{unit}", the unit at which the
/// role acts on it (the branch for its secretary and members, the township for its reviewers, the county for its scorers
/// and its organization department, the campaign's unit for objections and overdue honour changes), and RowKey the due
/// time (sortable), campaign, branch, kind and <see cref="Ref"/>, so a partition reads in the order things are due.
/// </summary>
/// <param name="Scope">The unit a caller's role must cover to act on it: the branch, the county (an honour change), or the
/// campaign's unit (an objection, an overdue honour change).</param>
/// <param name="Link">The API path of what it is about (GET it).</param>
/// <param name="Action">The API path to act on it (POST to it).</param>
public sealed record InboxItem(string Role, string Unit, string Kind, string CampaignId, string CampaignTitle, string CampaignUnit,
    string BranchId, string BranchName, string Scope, DateTimeOffset Due, string Link, string Action)
{
    /// <summary>The objection's or the change's id, for kinds with several items per branch.</summary>
    public string? Ref { get; init; }

    /// <summary>Shown only from this time on: an escalated step from its deadline, a ballot from its window's opening.</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>Waiting on this role only because the step is overdue (its <see cref="HumanStep.OverdueRole"/>).</summary>
    public bool Escalated { get; init; }

    /// <summary>Who took it already (the county scorers who scored, when a branch takes several): not shown to them.</summary>
    public IReadOnlyList<string> Done { get; init; } = [];

    public string PartitionKey => InboxKeys.Partition(Role, Unit);

    public string RowKey => InboxKeys.Row(Due, CampaignId, BranchId, Kind, Ref);

    /// <summary>Whether the two hold the same (a write of one over the other would change nothing).</summary>
    public bool SameAs(InboxItem other) =>
        this with { Done = NoOne } == other with { Done = NoOne } && Done.SequenceEqual(other.Done, StringComparer.Ordinal);

    static readonly string[] NoOne = [];
}

/// <summary>The keys of table Inbox.</summary>
public static class InboxKeys
{
    /// <summary>A due time as the start of a RowKey: fixed width, so the order of keys is the order of times.</summary>
    public static string Due(DateTimeOffset due) =>
        due.UtcDateTime.ToString("yyyyMMdd'T'HHmmss.fff'Z'", CultureInfo.InvariantCulture);

    public static string Partition(string role, string unit) => $"{role}|{unit}";

    public static string Row(DateTimeOffset due, string campaignId, string branchId, string kind, string? reference) =>
        $"{Due(due)}|{campaignId}|{branchId}|{kind}" + (reference is null ? "" : "|" + reference);
}

/// <summary>
/// What waits on whom, derived from the state of what it is about: an evaluation's stage and StageDeadline, an objection,
/// an honour change. The index (Storage.InboxIndex) writes what these return and deletes what they no longer return, so
/// the index follows the state wherever it changes, a new StageDeadline included.
/// </summary>
public static class InboxItems
{
    /// <summary>Beyond any real deadline: an item whose stage has none sorts last.</summary>
    static readonly DateTimeOffset NoDeadline = new(9999, 12, 31, 0, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// What an evaluation in <paramref name="r"/>'s state waits for: its current step from the step's role at the unit where
    /// it acts, the same step from the step's overdue role (shown from the deadline on, or at once when flagged overdue),
    /// and, while the members' appraisal is open, its ballots from the branch's members.
    /// </summary>
    public static IReadOnlyList<InboxItem> OfEvaluation(EvaluationRecord r, CampaignDefinition campaign)
    {
        var items = new List<InboxItem>();
        string evaluation = $"/api/campaigns/{r.CampaignId}/evaluations/{r.BranchId}";
        if (HumanStep.All.FirstOrDefault(s => s.Stage == r.Stage) is { } step)
        {
            DateTimeOffset due = r.StageDeadline ?? NoDeadline;
            IReadOnlyList<string> done = step == HumanSteps.CountyScore ? [.. r.Scores.Select(s => s.By.Id).Distinct()] : [];
            InboxItem For(string role, string unit) => new(role, unit, step.Name, r.CampaignId, campaign.Title, campaign.Unit, r.BranchId,
                r.BranchName, r.BranchId, due, evaluation, $"{evaluation}/{step.Name}") { Done = done };
            items.Add(For(step.Role, ActingUnit(step.Role, r.BranchId)));
            if (step.OverdueRole is { } overdueRole)
                items.Add(For(overdueRole, ActingUnit(overdueRole, r.BranchId)) with
                {
                    Escalated = true, From = r.Overdue ? null : due,
                });
        }
        if (campaign.Appraisal is { } appraisal && r.Stage != Stages.Done && r.Appraisal is null
            && appraisal.WindowOf(r.AppraisalOpensAt) is var (opens, closes))
            items.Add(new InboxItem(Roles.Member, r.BranchId, InboxKinds.AppraisalBallot, r.CampaignId, campaign.Title, campaign.Unit,
                r.BranchId, r.BranchName, r.BranchId, closes, $"{evaluation}/appraisal", $"{evaluation}/appraisal/ballots")
            {
                From = opens,
            });
        return items;
    }

    /// <summary>The unit at which <paramref name="role"/> acts on a branch's step: the branch, its township, or its county.</summary>
    public static string ActingUnit(string role, string branchId) => role switch
    {
        Roles.BranchSecretary or Roles.Member => branchId,
        Roles.TownshipReviewer => UnitPath.AncestorAt(branchId, 3),
        _ => UnitPath.AncestorAt(branchId, 2),
    };

    /// <summary>An open objection waits on the organization department of the campaign's unit until it is resolved.</summary>
    public static IReadOnlyList<InboxItem> OfObjection(ObjectionRecord o, CampaignRecord campaign, string branchName) =>
        o.Status != ObjectionStatus.Open ? []
        :
        [
            new InboxItem(Roles.OrgDepartment, campaign.Definition.Unit, InboxKinds.Objection, o.CampaignId, campaign.Definition.Title,
                campaign.Definition.Unit, o.BranchId, branchName, campaign.Definition.Unit, campaign.PublicityEndsAt ?? NoDeadline,
                $"/api/campaigns/{o.CampaignId}/objections/{o.Id}", $"/api/campaigns/{o.CampaignId}/objections/{o.Id}/resolution")
            {
                Ref = o.Id,
            },
        ];

    /// <summary>
    /// An open objection to a change waits on the organization department of the branch's county, which resolves it, due
    /// when the change's notice ends (the change is applied only once every objection is resolved).
    /// </summary>
    public static IReadOnlyList<InboxItem> OfHonourChangeObjection(HonourChangeObjection o, HonourChange change,
        CampaignDefinition campaign, string branchName)
    {
        if (o.Status != ObjectionStatus.Open) return [];
        string link = $"/api/campaigns/{change.CampaignId}/honours/{change.BranchId}/changes/{change.Id}";
        string county = UnitPath.AncestorAt(change.BranchId, 2);
        return
        [
            new InboxItem(Roles.OrgDepartment, county, InboxKinds.HonourChangeObjection, change.CampaignId, campaign.Title, campaign.Unit,
                change.BranchId, branchName, county, change.NoticeEnds ?? change.DecisionDue, link, $"{link}/objections/{o.Id}/resolution")
            {
                Ref = o.Id,
            },
        ];
    }

    /// <summary>
    /// Every item a change of an honour can have: to the organization department of the branch's county until its decision is
    /// due, then (escalated) to the one of the campaign's unit. <see cref="OfHonourChange"/> picks those that wait now.
    /// </summary>
    public static IReadOnlyList<InboxItem> PossibleForHonourChange(HonourChange change, CampaignDefinition campaign, string branchName)
    {
        string link = $"/api/campaigns/{change.CampaignId}/honours/{change.BranchId}/changes/{change.Id}";
        string county = UnitPath.AncestorAt(change.BranchId, 2);
        InboxItem At(string unit) => new(Roles.OrgDepartment, unit, InboxKinds.HonourChange, change.CampaignId, campaign.Title,
            campaign.Unit, change.BranchId, branchName, unit, change.DecisionDue, link, link + "/decision") { Ref = change.Id };
        return [At(county), At(campaign.Unit) with { Escalated = true }];
    }

    /// <summary>
    /// What a change waits for now: none once it is decided (<paramref name="decided"/>: a decision the API stored) or over;
    /// else the county's item, or the campaign unit's once the workflow has marked it overdue. (Between its due time and
    /// the mark the county's item is shown only to callers covering the campaign's unit, as the API decides.)
    /// </summary>
    public static IReadOnlyList<InboxItem> OfHonourChange(HonourChange change, bool decided, CampaignDefinition campaign, string branchName)
    {
        if (decided || !HonourChangeStatus.AwaitsDecision(change.Status)) return [];
        IReadOnlyList<InboxItem> possible = PossibleForHonourChange(change, campaign, branchName);
        return [change.Status == HonourChangeStatus.Overdue ? possible[1] : possible[0]];
    }
}
