using Azure.Data.Tables;
using Eval.Workflows.Domain;
using Eval.Workflows.Storage;

namespace Eval.UnitTests.Storage;

/// <summary>
/// How an evaluation record fits a table row: every long value split under a property's limit, Chinese text kept compact.
/// </summary>
public sealed class EvaluationEntityTests
{
    static EvaluationRecord Record() => new()
    {
        CampaignId = "c1", BranchId = "chifeng.x.t01.b001", BranchName = "第一嘎查党支部", Stage = Stages.AwaitingCountyScore,
    };

    static ScoreEntry Score(int scorer, string comment) =>
        new(new CountyScore(new Dictionary<string, decimal> { ["political"] = 20, ["unity"] = 24.5m }, null, comment),
            new Actor($"county-scorer@chifeng.x#{scorer}", "评分人", "county-scorer"), DateTimeOffset.Parse("2026-11-30T01:00:00Z"));

    [Fact]
    public void Ten_scores_with_the_longest_comments_fit_under_a_propertys_limit_and_come_back_whole()
    {
        // The schema allows comments of 2,000 characters, and a campaign up to 10 scorers a branch.
        var scores = Enumerable.Range(1, 10).Select(i => Score(i, new string('评', 1990) + i)).ToList();
        TableEntity entity = EvaluationStore.ToEntity(Record() with { Scores = scores });

        Assert.All(entity.Select(p => p.Value).OfType<string>(),
            s => Assert.True(s.Length <= 32_000, $"a string of {s.Length} characters"));
        Assert.Equal(Json.Write(scores), Json.Write(EvaluationStore.FromEntity(entity).Scores));
    }

    [Fact]
    public void Chinese_text_is_stored_as_itself_not_as_escapes()
    {
        TableEntity entity = EvaluationStore.ToEntity(Record() with { Scores = [Score(1, "表现突出")] });
        Assert.Contains("表现突出", entity.GetString("Scores"));
    }

    [Fact]
    public void Text_is_never_split_inside_a_surrogate_pair()
    {
        // 29,999 characters, then an emoji (two UTF-16 units) across the 30,000 boundary.
        string text = new string('a', 29_999) + "😀" + new string('b', 10);
        var entity = new TableEntity("p", "r");
        TableText.Write(entity, "T", text);
        Assert.All(entity.Select(p => p.Value).OfType<string>(),
            s => Assert.False(char.IsHighSurrogate(s[^1]), "a chunk ends in half a pair"));
        Assert.Equal(text, TableText.Read(entity, "T"));
    }

    [Fact]
    public void Bytes_are_split_under_a_binary_propertys_limit_and_come_back_whole()
    {
        byte[] bytes = Enumerable.Range(0, 130_000).Select(i => (byte)(i % 251)).ToArray();
        var entity = new TableEntity("p", "r");
        TableText.WriteBytes(entity, "Body", bytes);
        Assert.Equal(["Body", "Body_1", "Body_2"], entity.Keys.Where(k => k.StartsWith("Body", StringComparison.Ordinal)).Order());
        Assert.All(entity.Select(p => p.Value).OfType<byte[]>(), b => Assert.True(b.Length <= 64 * 1024));
        Assert.Equal(bytes, TableText.ReadBytes(entity, "Body"));

        var empty = new TableEntity("p", "r");
        TableText.WriteBytes(empty, "Body", []);
        Assert.Empty(TableText.ReadBytes(empty, "Body"));
    }

    [Fact]
    public void The_size_counts_keys_names_and_values_as_the_service_does()
    {
        var entity = new TableEntity("pk", "rk") { ["S"] = "abc", ["N"] = 5, ["B"] = true, ["D"] = 1.5 };
        // 4 + 2×(2+2) keys; S: 8+2+4+6; N: 8+2+4; B: 8+2+1; D: 8+2+8
        Assert.Equal(12 + 20 + 14 + 11 + 18, EntitySize.Of(entity));
    }

    [Fact]
    public void A_record_over_a_rows_limit_is_measured_as_such()
    {
        var big = new string('总', 300_000);
        TableEntity entity = EvaluationStore.ToEntity(Record() with
        {
            History =
            [
                new HistoryEntry(DateTimeOffset.UnixEpoch, "a", "r", "x", big),
                new HistoryEntry(DateTimeOffset.UnixEpoch, "a", "r", "y", big),
            ],
        });
        Assert.True(EntitySize.Of(entity) > EntitySize.Max);
        Assert.True(EntitySize.Of(EvaluationStore.ToEntity(Record())) < 2_000);
    }

    [Fact]
    public void The_register_of_the_branch_is_kept_in_its_own_small_column_and_comes_back_whole()
    {
        BranchRegister register = new(2025, "hongshan-2025", "strongest", HonourStatus.Revoked, 0)
        {
            RevokedAt = DateTimeOffset.Parse("2025-11-21T00:00:00Z"), RevokedDaysBeforeStart = 100,
        };
        TableEntity entity = EvaluationStore.ToEntity(Record() with { Register = register });

        Assert.Contains("\"lastLevel\":\"strongest\"", entity.GetString("Register"));
        Assert.Equal(register, EvaluationStore.FromEntity(entity).Register);
        Assert.Null(EvaluationStore.ToEntity(Record())["Register"]);
    }
}
