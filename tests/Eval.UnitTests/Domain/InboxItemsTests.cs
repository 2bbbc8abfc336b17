using Eval.LocalHost.Cli;
using Eval.Workflows.Domain;

namespace Eval.UnitTests.Domain;

/// <summary>
/// What waits on whom, as derived from the state (<see cref="InboxItems"/>): the index writes exactly these, so each rule
/// here is a rule of the inbox.
/// </summary>
public sealed class InboxItemsTests
{
    const string Branch = "chifeng.hongshan.t01.b001";
    static readonly DateTimeOffset Deadline = new(2026, 4, 1, 0, 0, 0, TimeSpan.Zero);
    static readonly CampaignDefinition Campaign = ChifengCampaign.Definition("hongshan-2026", "chifeng.hongshan", "红山区评定");

    static EvaluationRecord Record(string stage) => new()
    {
        CampaignId = "hongshan-2026", BranchId = Branch, BranchName = "第1嘎查党支部", Stage = stage, StageDeadline = Deadline,
    };

    [Fact]
    public void A_score_waits_on_the_countys_scorers_but_those_who_scored_and_on_the_department_from_the_deadline()
    {
        var scored = new ScoreEntry(new CountyScore(new Dictionary<string, decimal>(), null, null),
            new Actor("scorer-1", "甲", Roles.CountyScorer), Deadline.AddDays(-1));
        IReadOnlyList<InboxItem> items = InboxItems.OfEvaluation(Record(Stages.AwaitingCountyScore) with { Scores = [scored] }, Campaign);

        Assert.Equal(2, items.Count);
        InboxItem scorers = items[0], department = items[1];
        Assert.Equal((Roles.CountyScorer, "chifeng.hongshan", "county-score", false),
            (scorers.Role, scorers.Unit, scorers.Kind, scorers.Escalated));
        Assert.Null(scorers.From);
        Assert.Equal(["scorer-1"], scorers.Done);
        Assert.Equal((Roles.OrgDepartment, "chifeng.hongshan", true, Deadline),
            (department.Role, department.Unit, department.Escalated, department.From!.Value));
        Assert.Equal(scorers.RowKey, department.RowKey);
        // Flagged overdue (a deadline extended after it, say): the escalated item shows at once.
        Assert.Null(InboxItems.OfEvaluation(Record(Stages.AwaitingCountyScore) with { Overdue = true }, Campaign)[1].From);
    }

    [Fact]
    public void Nothing_waits_while_the_score_waits_for_the_appraisal_or_once_done()
    {
        Assert.Empty(InboxItems.OfEvaluation(Record(Stages.AwaitingAppraisal) with { StageDeadline = null }, Campaign));
        Assert.Empty(InboxItems.OfEvaluation(Record(Stages.Done) with { StageDeadline = null }, Campaign));
    }

    [Fact]
    public void A_ballot_waits_on_the_branchs_members_from_the_windows_opening_to_its_close_until_counted()
    {
        CampaignDefinition withAppraisal = Campaign.WithAppraisal(ChifengCampaign.Appraisal with { Window = "P7D" });
        DateTimeOffset opened = Deadline.AddDays(-10);
        EvaluationRecord record = Record(Stages.AwaitingTownshipReview) with { AppraisalOpensAt = opened };

        InboxItem ballot = Assert.Single(InboxItems.OfEvaluation(record, withAppraisal), i => i.Kind == InboxKinds.AppraisalBallot);
        Assert.Equal((Roles.Member, Branch, opened, opened.AddDays(7)), (ballot.Role, ballot.Unit, ballot.From!.Value, ballot.Due));
        Assert.DoesNotContain(InboxItems.OfEvaluation(record with { Appraisal = new AppraisalResult(0, 0, 0, false) }, withAppraisal),
            i => i.Kind == InboxKinds.AppraisalBallot);
        Assert.DoesNotContain(InboxItems.OfEvaluation(record with { AppraisalOpensAt = null }, withAppraisal),
            i => i.Kind == InboxKinds.AppraisalBallot);
    }

    [Fact]
    public void An_honour_change_waits_on_the_countys_department_then_once_overdue_on_the_campaign_units_until_decided()
    {
        CampaignDefinition city = Campaign with { Unit = "chifeng" };
        var change = new HonourChange
        {
            CampaignId = "hongshan-2026", BranchId = Branch, Id = "chg-1", Kind = HonourChangeKinds.Revoke, FromLevel = "strongest",
            ToLevel = Ranking.Revoked, ReasonCategory = HonourReasons.Veto, Description = "一票否决", Evidence = [],
            ProposedBy = new Actor("s", "s", Roles.CountyScorer), ProposedAt = Deadline.AddDays(-10), DecisionDue = Deadline,
            Status = HonourChangeStatus.Proposed,
        };

        InboxItem pending = Assert.Single(InboxItems.OfHonourChange(change, decided: false, city, "第1嘎查党支部"));
        Assert.Equal(("chifeng.hongshan", false, Deadline, "chg-1"), (pending.Unit, pending.Escalated, pending.Due, pending.Ref));
        InboxItem overdue = Assert.Single(InboxItems.OfHonourChange(change with { Status = HonourChangeStatus.Overdue }, false, city, "x"));
        Assert.Equal(("chifeng", true), (overdue.Unit, overdue.Escalated));
        Assert.Empty(InboxItems.OfHonourChange(change, decided: true, city, "x"));
        Assert.Empty(InboxItems.OfHonourChange(change with { Status = HonourChangeStatus.Refused }, false, city, "x"));
        // A county's own campaign: both places are one partition and key, so moving it there deletes nothing it keeps.
        IReadOnlyList<InboxItem> possible = InboxItems.PossibleForHonourChange(change, Campaign, "x");
        Assert.Equal((possible[0].PartitionKey, possible[0].RowKey), (possible[1].PartitionKey, possible[1].RowKey));
    }

    [Fact]
    public void Keys_sort_by_due_time()
    {
        DateTimeOffset early = new(2026, 4, 1, 8, 0, 0, TimeSpan.FromHours(8)), late = new(2026, 4, 1, 0, 30, 0, TimeSpan.Zero);
        Assert.Equal("20260401T000000.000Z", InboxKeys.Due(early));
        Assert.True(string.CompareOrdinal(InboxKeys.Row(early, "z", "z", "z", null), InboxKeys.Row(late, "a", "a", "a", null)) < 0);
    }
}
