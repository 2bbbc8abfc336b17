using Azure.Data.Tables;
using Eval.Workflows.Domain;
using Eval.Workflows.Storage;

namespace Eval.UnitTests.Domain;

/// <summary>
/// An evaluation's outbox: when an accepted action counts as taken in, that the event comes back exactly as it was
/// accepted, and that the stored record keeps only what is not taken in yet.
/// </summary>
public sealed class AcceptedActionTests
{
    static readonly Actor Secretary = new("u-secretary", "支部书记", "branch-secretary");
    static readonly Actor Reviewer = new("u-township", "乡镇审核人", "township-reviewer");
    static readonly Actor Scorer1 = new("u-scorer-1", "评分人一", "county-scorer");
    static readonly Actor Scorer2 = new("u-scorer-2", "评分人二", "county-scorer");
    static readonly DateTimeOffset At = new(2026, 3, 1, 8, 30, 15, 123, TimeSpan.Zero);

    static EvaluationRecord Record(string stage, int round = 0, params Actor[] scored) => new()
    {
        CampaignId = "c2026", BranchId = "chifeng.hongshan.t01.b001", BranchName = "红旗社区党支部", Stage = stage, Round = round,
        Scores = [.. scored.Select(by => new ScoreEntry(Score(), by, At))],
    };

    static SelfAssessmentSubmitted Submitted(int round) =>
        new(round, new SelfAssessment(new Dictionary<string, decimal> { ["political"] = 20.5m, ["unity"] = 24 },
            "全年开展民族团结活动十二次", [new Evidence("unity", "活动记录", "https://example.org/e/1")]), Secretary, At);

    static CountyScore Score() => new(new Dictionary<string, decimal> { ["political"] = 20, ["unity"] = 23.5m }, null, "评分");

    static AcceptedAction SelfAssessment(int round = 0) => AcceptedAction.Of($"awaiting-self-assessment:{round}", Submitted(round));
    static AcceptedAction Review(int round = 0) =>
        AcceptedAction.Of($"awaiting-township-review:{round}",
            new TownshipReviewed(round, new TownshipReview(ReviewDecisions.Approve, null), Reviewer, At));
    static AcceptedAction Scored(Actor by) => AcceptedAction.Of($"awaiting-county-score:0:{by.Id}", new CountyScored(0, Score(), by, At));

    [Fact]
    public void A_self_assessment_is_waiting_until_its_round_leaves_the_self_assessment_stage()
    {
        Assert.False(SelfAssessment(0).IsSettledIn(Record(Stages.AwaitingSelfAssessment, 0)));
        Assert.True(SelfAssessment(0).IsSettledIn(Record(Stages.AwaitingTownshipReview, 0)));
        Assert.True(SelfAssessment(0).IsSettledIn(Record(Stages.Done, 0)));
        // Returned for revision: round 1 awaits a new self-assessment, and the round-0 one is long taken in.
        Assert.True(SelfAssessment(0).IsSettledIn(Record(Stages.AwaitingSelfAssessment, 1)));
        Assert.False(SelfAssessment(1).IsSettledIn(Record(Stages.AwaitingSelfAssessment, 1)));
    }

    [Fact]
    public void A_review_is_waiting_while_its_round_awaits_review()
    {
        Assert.False(Review(0).IsSettledIn(Record(Stages.AwaitingTownshipReview, 0)));
        Assert.True(Review(0).IsSettledIn(Record(Stages.AwaitingCountyScore, 0)));
        Assert.True(Review(0).IsSettledIn(Record(Stages.AwaitingSelfAssessment, 1)));
    }

    [Fact]
    public void A_county_score_is_waiting_until_that_scorers_score_is_recorded()
    {
        EvaluationRecord oneScored = Record(Stages.AwaitingCountyScore, 0, Scorer1);
        Assert.True(Scored(Scorer1).IsSettledIn(oneScored));
        Assert.False(Scored(Scorer2).IsSettledIn(oneScored));
        Assert.True(Scored(Scorer2).IsSettledIn(Record(Stages.Done, 0, Scorer1, Scorer2)));
    }

    [Fact]
    public void The_event_comes_back_as_it_was_accepted()
    {
        var back = Assert.IsType<SelfAssessmentSubmitted>(SelfAssessment(0).ToEvent());
        SelfAssessmentSubmitted sent = Submitted(0);
        Assert.Equal((sent.Round, sent.By, sent.At, sent.Assessment.Summary), (back.Round, back.By, back.At, back.Assessment.Summary));
        Assert.Equal(sent.Assessment.Scores, back.Assessment.Scores);
        Assert.Equal(sent.Assessment.Evidence, back.Assessment.Evidence);
        Assert.Equal(Score().Scores, Assert.IsType<CountyScored>(Scored(Scorer2).ToEvent()).Score.Scores);
        Assert.Equal(ReviewDecisions.Approve, Assert.IsType<TownshipReviewed>(Review().ToEvent()).Review.Decision);
    }

    [Fact]
    public void The_stored_record_keeps_only_what_is_not_taken_in()
    {
        EvaluationRecord waiting = Record(Stages.AwaitingCountyScore, 0, Scorer1) with { Outbox = [Scored(Scorer1), Scored(Scorer2)] };
        TableEntity entity = EvaluationStore.ToEntity(waiting);
        Assert.True(entity.GetBoolean("HasOutbox"));
        AcceptedAction kept = Assert.Single(EvaluationStore.FromEntity(entity).Outbox);
        Assert.Equal(Scored(Scorer2).Claim, kept.Claim);
        Assert.Equal(Json.Write(Scored(Scorer2)), Json.Write(kept));

        TableEntity settled = EvaluationStore.ToEntity(
            waiting with { Stage = Stages.Done, Scores = [.. waiting.Scores, new ScoreEntry(Score(), Scorer2, At)] });
        Assert.False(settled.GetBoolean("HasOutbox"));
        Assert.Null(settled.GetString("Outbox"));
        Assert.Empty(EvaluationStore.FromEntity(settled).Outbox);
    }

    [Fact]
    public void A_self_assessment_of_the_largest_size_survives_the_split_over_columns()
    {
        // The schema allows a 5,000-character summary and 50 documents of up to 2,200 characters: over 100,000 in all.
        var evidence = Enumerable.Range(0, 50)
            .Select(i => new Evidence("unity", new string('证', 200), "https://example.org/" + new string('x', 1980) + i)).ToList();
        var large = Submitted(0) with
        {
            Assessment = new SelfAssessment(Submitted(0).Assessment.Scores, new string('总', 5000), evidence),
        };
        EvaluationRecord record = Record(Stages.AwaitingSelfAssessment) with
        {
            Outbox = [AcceptedAction.Of("awaiting-self-assessment:0", large)],
        };

        TableEntity entity = EvaluationStore.ToEntity(record);
        Assert.True(entity.ContainsKey("Outbox_1"), "a self-assessment this large takes more than one column");
        var back = (SelfAssessmentSubmitted)Assert.Single(EvaluationStore.FromEntity(entity).Outbox).ToEvent();
        Assert.Equal(large.Assessment.Summary, back.Assessment.Summary);
        Assert.Equal(large.Assessment.Evidence, back.Assessment.Evidence);
    }
}
