using Eval.Workflows.Domain;

namespace Eval.UnitTests.Domain;

/// <summary>
/// What an honour change's chain holds, recomputed from the change's row as it stands after later steps: the proposal,
/// the decision and the application as they were linked, and any edit of what they recorded shows.
/// </summary>
public sealed class HonourChangeAuditTests
{
    static readonly DateTimeOffset At = new(2026, 6, 1, 9, 0, 0, TimeSpan.FromHours(8));
    static readonly Actor Reviewer = new("u-township", "乡镇审核人", "township-reviewer");
    static readonly Actor Department = new("u-org", "组织部", "org-department");

    static HonourChange Proposed() => new()
    {
        CampaignId = "c2026", BranchId = "chifeng.hongshan.t01.b001", Id = HonourChangeIds.New(), Kind = HonourChangeKinds.Revoke,
        FromLevel = "strongest", ToLevel = Ranking.Revoked, ReasonCategory = HonourReasons.NegativeList,
        Description = "支部书记受处分。",
        Evidence = [new EvidenceFileRef("ev-1", "决定.pdf", "application/pdf", 1024, new string('a', 64), At)],
        ProposedBy = Reviewer, ProposedAt = At, DecisionDue = At.AddDays(10), Status = HonourChangeStatus.Proposed,
    };

    [Fact]
    public void The_proposal_decision_and_application_are_recomputed_from_the_row_after_the_later_steps()
    {
        HonourChange proposed = Proposed();
        HistoryEntry proposal = HonourChangeAudit.Proposal(proposed);
        HonourChange decided = proposed with
        {
            Decision = new HonourChangeDecision(true, "公示后撤销。", true, Department, At.AddDays(1)), DecisionMac = "mac",
        };
        string decidedDetail = HonourChangeAudit.Detail(decided, content: true);
        HonourChange applied = decided with
        {
            Status = HonourChangeStatus.Notice, Objections = 2, UpheldObjections = 0, NoticeClosed = true,
        };
        string appliedDetail = HonourChangeAudit.Detail(applied, "applied", content: true);
        HonourChange ended = applied with { Status = HonourChangeStatus.Applied, EndedAt = At.AddDays(7), Outcome = "applied" };

        Assert.Equal(proposal.Detail, HonourChangeAudit.ExpectedDetail(ended, HonourChangeActions.Proposed));
        Assert.Equal(decidedDetail, HonourChangeAudit.ExpectedDetail(ended, HonourChangeActions.Decided));
        Assert.Equal(appliedDetail, HonourChangeAudit.ExpectedDetail(ended, HonourChangeActions.Applied));
        Assert.Null(HonourChangeAudit.ExpectedDetail(ended, HonourChangeActions.ObjectionFiled));
        Assert.Contains(new string('a', 64), proposal.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(proposed.Description, proposal.Detail, StringComparison.Ordinal); // its hash, not its words
    }

    [Fact]
    public void An_edited_reason_evidence_or_decision_no_longer_matches_what_was_linked()
    {
        HonourChange decided = Proposed() with
        {
            Decision = new HonourChangeDecision(true, "同意。", false, Department, At.AddDays(1)),
        };
        string proposal = HonourChangeAudit.ExpectedDetail(decided, HonourChangeActions.Proposed)!;
        string decision = HonourChangeAudit.ExpectedDetail(decided, HonourChangeActions.Decided)!;

        Assert.NotEqual(proposal, HonourChangeAudit.ExpectedDetail(decided with { ReasonCategory = HonourReasons.Other },
            HonourChangeActions.Proposed));
        Assert.NotEqual(proposal, HonourChangeAudit.ExpectedDetail(decided with { Evidence = [] }, HonourChangeActions.Proposed));
        Assert.NotEqual(proposal, HonourChangeAudit.ExpectedDetail(decided with { Description = "另一件事。" },
            HonourChangeActions.Proposed));
        Assert.NotEqual(decision, HonourChangeAudit.ExpectedDetail(
            decided with { Decision = decided.Decision! with { Approve = false } }, HonourChangeActions.Decided));
    }

    [Fact]
    public void A_change_id_names_a_chain_no_branch_can_have()
    {
        string id = HonourChangeIds.New();
        Assert.StartsWith(HonourChangeIds.Prefix, id, StringComparison.Ordinal);
        Assert.True(string.CompareOrdinal(id, HonourChangeIds.PrefixEnd) < 0);
        Assert.True(string.CompareOrdinal(id + "|999999", HonourChangeIds.PrefixEnd) < 0);
        Assert.False(HonourChangeIds.IsValid("chifeng.hongshan.t01.b001"));
        Assert.False(HonourChangeIds.IsValid(AuditEntry.CampaignChain));
    }
}
