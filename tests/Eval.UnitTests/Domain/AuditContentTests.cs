using System.Text.Json.Nodes;
using Eval.Workflows.Domain;
using Eval.Workflows.Storage;

namespace Eval.UnitTests.Domain;

/// <summary>
/// The content digests audit links hold: canonical, stable across the table's round trip, changed by any edit of a
/// decision, and recomputed from a stored record exactly as the links of its changes were written.
/// </summary>
public sealed class AuditContentTests
{
    const string Campaign = "c2026", Branch = "chifeng.hongshan.t01.b001";
    static readonly DateTimeOffset At = new(2026, 3, 1, 8, 30, 15, 123, TimeSpan.FromHours(8));
    static readonly Actor Secretary = new("u-secretary", "支部书记", "branch-secretary");
    static readonly Actor Reviewer = new("u-township", "乡镇审核人", "township-reviewer");
    static readonly Actor Scorer1 = new("u-scorer-1", "评分人一", "county-scorer");
    static readonly Actor Scorer2 = new("u-scorer-2", "评分人二", "county-scorer");
    static readonly Rubric Rubric = new(
        [new Criterion("political", "政治建设", 50), new Criterion("unity", "民族团结进步", 50, Unity: true)],
        UnityWeight: 1.5m, UnityMinShare: 0.6m, [new VetoItem("incident", "发生影响民族团结的事件")]);

    [Fact]
    public void Canonical_JSON_sorts_keys_drops_null_members_and_writes_numbers_without_trailing_zeros()
    {
        JsonNode node = JsonNode.Parse("""{"b": 1.50, "a": null, "c": [2.0, null, {"y": "支部", "x": 1e2}]}""")!;
        Assert.Equal("""{"b":1.5,"c":[2,null,{"x":100,"y":"\u652F\u90E8"}]}""", AuditContent.Canonical(node));
    }

    [Fact]
    public void A_submission_digest_covers_its_cited_files_and_survives_the_tables_round_trip()
    {
        SubmissionEntry submission = Submission(0, "sha-a");
        EvaluationChange change = Change(1, HistoryActions.SelfAssessmentSubmitted, Secretary) with
        {
            Stage = Stages.AwaitingTownshipReview, Submission = submission,
        };
        EvaluationRecord stored = RoundTrip(change.ApplyTo(Start()));

        string? content = AuditContent.OfChange(change, change.ApplyTo(Start()));
        Assert.StartsWith("sha256:", content);
        Assert.Equal(content, AuditContent.OfParts(stored.Submission, null, null, null, null));
        Assert.NotEqual(content, AuditContent.OfParts(Submission(0, "sha-b"), null, null, null, null));
        Assert.Null(AuditContent.OfChange(Change(2, HistoryActions.TownshipReviewOverdue, SystemActor.Instance) with { Overdue = true },
            stored));
    }

    [Fact]
    public void A_link_without_content_hashes_as_links_did_before_content_existed()
    {
        var link = new AuditEntry(Campaign, Branch, 1, At, "u", "r", "a", "d", AuditEntry.Genesis);
        Assert.DoesNotContain("content", link.ToCanonicalJson());
        Assert.EndsWith("\"prevHash\":\"" + AuditEntry.Genesis + "\"}", link.ToCanonicalJson());
        Assert.EndsWith(",\"content\":\"sha256:x\"}", (link with { Content = "sha256:x" }).ToCanonicalJson());
    }

    [Fact]
    public void The_list_digest_is_the_published_links_digest_as_it_was_computed_before()
    {
        List<RankedBranch> list =
        [
            new("b2", "二", 81.5m, 0.9m, 2, "good"), new("b1", "一", 90.25m, 0.95m, 1, "strongest"), new("b3", "三", 0m, 0m, 0, "none"),
        ];
        // The form the published link's detail has always held, over a list as read back from the table.
        string before = "sha256:" + AuditEntry.HashOf(System.Text.Json.JsonSerializer.Serialize(list
            .OrderBy(r => r.Rank).ThenBy(r => r.BranchId, StringComparer.Ordinal)
            .Select(r => new object[] { r.BranchId, r.Score, r.UnityShare, r.Rank, r.Level })));
        Assert.Equal(before, AuditContent.OfRatings(list));
        // In memory, before the table's doubles: the same digest.
        Assert.Equal(before, AuditContent.OfRatings(list.Select(r => r with { Score = r.Score * 1.000m })));
        Assert.NotEqual(before, AuditContent.OfRatings(list.Select(r => r.BranchId == "b2" ? r with { Level = "revoked" } : r)));
    }

    [Fact]
    public void A_returned_resubmitted_scored_evaluation_verifies_and_an_edited_score_breaks_at_its_link()
    {
        const string review = Stages.AwaitingTownshipReview;
        var (record, links) = Recorded(
            Change(1, HistoryActions.SelfAssessmentSubmitted, Secretary) with { Stage = review, Submission = Submission(0, "a") },
            Change(2, HistoryActions.TownshipReturned, Reviewer) with
            {
                Stage = Stages.AwaitingSelfAssessment, Round = 1, Review = Review(0, ReviewDecisions.Return),
            },
            Change(3, HistoryActions.SelfAssessmentSubmitted, Secretary) with { Stage = review, Submission = Submission(1, "b") },
            Change(4, HistoryActions.TownshipReviewOverdue, SystemActor.Instance) with { Overdue = true },
            Change(5, HistoryActions.TownshipApproved, Reviewer) with
            {
                Stage = Stages.AwaitingCountyScore, Review = Review(1, ReviewDecisions.Approve),
            },
            Change(6, HistoryActions.CountyScored, Scorer1) with { AddScore = Score(Scorer1, 40, 45) },
            Final(7, Scorer2, [Score(Scorer1, 40, 45), Score(Scorer2, 42.5m, 44)]));

        AssertVerifies(record, links);
        // What is checked: the latest submission (3), the latest review (5), both scores (6, 7) and the result (7).
        Assert.Equal([3, 5, 6, 7], AuditContent.Expected(record, links).Select(e => e.Seq));

        ScoreEntry vetoed = record.Scores[0] with { Score = record.Scores[0].Score with { Veto = "incident" } };
        EvaluationRecord edited = record with { Scores = [vetoed, record.Scores[1]] };
        Assert.Equal(6, FirstMismatch(edited, links));
        Assert.Equal(7, FirstMismatch(record with { FinalScore = 99.99m }, links));
        Assert.Equal(3, FirstMismatch(record with { Submission = Submission(1, "forged") }, links));
        Assert.Equal(5, FirstMismatch(record with { Review = Review(1, ReviewDecisions.Reject) }, links));
    }

    [Fact]
    public void A_joint_veto_after_the_end_keeps_both_links_verifiable()
    {
        var scored = Final(1, Scorer1, [Score(Scorer1, 40, 45)]);
        var veto = new JointVeto("纪委", "纪发〔2026〕1号", "违纪", Reviewer, At);
        var (record, links) = Recorded(scored);
        record = record with { JointVeto = veto };
        EvaluationChange vetoed = Change(2, HistoryActions.JointVetoed, Reviewer) with { Outcome = Outcomes.Vetoed };
        EvaluationRecord after = vetoed.ApplyTo(record);
        links.Add(Link(2, vetoed, AuditContent.OfChange(vetoed, after), links[^1]));
        after = RoundTrip(after);

        Assert.Equal(Outcomes.Vetoed, after.Outcome);
        AssertVerifies(after, links);
        // The ending link holds the result before the veto, the veto's link the result after it: an edit breaks the first.
        Assert.Equal(1, FirstMismatch(after with { FinalScore = 99.99m }, links));
        Assert.Equal(1, FirstMismatch(after with { Outcome = Outcomes.Scored, JointVeto = null }, links));
    }

    /// <summary>
    /// Applies <paramref name="changes"/> to a started record as RecordEvaluationActivity does, each with its link's content,
    /// and checks that the verifier's recomputation from the stored record finds every link as written. The orchestrator's
    /// tests call it with the changes of every path.
    /// </summary>
    internal static void AssertChangesVerify(IReadOnlyList<EvaluationChange> changes)
    {
        var (record, links) = Recorded([.. changes]);
        AssertVerifies(record, links);
    }

    static (EvaluationRecord Record, List<AuditEntry> Links) Recorded(params EvaluationChange[] changes)
    {
        EvaluationRecord record = Start();
        List<AuditEntry> links = [new(Campaign, Branch, 0, At, "system", "system", HistoryActions.Started, null, AuditEntry.Genesis)];
        foreach (EvaluationChange change in changes)
        {
            EvaluationRecord after = change.ApplyTo(record);
            links.Add(Link(change.Seq, change, AuditContent.OfChange(change, after), links[^1]));
            record = after;
        }
        return (RoundTrip(record), links);
    }

    static void AssertVerifies(EvaluationRecord record, List<AuditEntry> links) =>
        Assert.True(FirstMismatch(record, links) is null, $"link {FirstMismatch(record, links)} does not verify");

    static int? FirstMismatch(EvaluationRecord record, List<AuditEntry> links) =>
        AuditContent.Expected(record, links)
            .FirstOrDefault(e => links[e.Seq].Content is { } held && !e.Candidates.Contains(held))?.Seq;

    static AuditEntry Link(int seq, EvaluationChange change, string? content, AuditEntry before) =>
        new(Campaign, Branch, seq, change.Entry.Time, change.Entry.Actor, change.Entry.Role, change.Entry.Action,
            change.Entry.Detail, before.Hash()) { Content = content };

    static EvaluationRecord Start() => new()
    {
        CampaignId = Campaign, BranchId = Branch, BranchName = "红旗社区党支部", Stage = Stages.AwaitingSelfAssessment,
    };

    /// <summary>The record as the verifier reads it: written to a table entity and read back (scores through doubles).</summary>
    static EvaluationRecord RoundTrip(EvaluationRecord record) => EvaluationStore.FromEntity(EvaluationStore.ToEntity(record));

    static EvaluationChange Change(int seq, string action, Actor by) => new(Campaign, Branch, seq, new HistoryEntry(At.AddMinutes(seq),
        by.Id, by.Role, action));

    static EvaluationChange Final(int seq, Actor by, List<ScoreEntry> scores)
    {
        ScoreBreakdown breakdown = Scoring.Breakdown(Rubric, [.. scores.Select(s => s.Score.Scores)],
            ScoreAdjustments.Of(new TownshipReview(ReviewDecisions.Approve, null), scores.Select(s => s.Score)));
        return Change(seq, HistoryActions.CountyScored, by) with
        {
            Stage = Stages.Done, Outcome = Outcomes.Scored, AddScore = scores[^1], ClearStageDeadline = true,
            FinalScore = breakdown.Final, UnityShare = breakdown.UnityShare, Breakdown = breakdown,
        };
    }

    static SubmissionEntry Submission(int round, string sha) => new(new SelfAssessment(
        new Dictionary<string, decimal> { ["political"] = 45.0m, ["unity"] = 48 }, "全年开展民族团结活动十二次",
        [new Evidence("unity", "活动记录", null, "ev-1", new EvidenceFileRef("ev-1", "记录.pdf", "application/pdf", 1234, sha, At))]),
        Secretary, At.AddMinutes(round), round);

    static ReviewEntry Review(int round, string decision) => new(new TownshipReview(decision, "意见"), Reviewer, At, round);

    static ScoreEntry Score(Actor by, decimal political, decimal unity) =>
        new(new CountyScore(new Dictionary<string, decimal> { ["political"] = political, ["unity"] = unity }, null, "评语"), by, At);
}
