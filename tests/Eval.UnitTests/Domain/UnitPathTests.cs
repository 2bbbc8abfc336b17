using Eval.Workflows.Domain;

namespace Eval.UnitTests.Domain;

public sealed class UnitPathTests
{
    static readonly string Segment40 = new('a', 40);
    static readonly string Segment41 = new('a', 41);

    public static TheoryData<string> ValidIds =>
    [
        "chifeng",
        "chifeng.hongshan",
        "chifeng.hongshan.t01",
        "chifeng.hongshan.t01.b001",
        "a-b.0-9.x.y",
        "0",
        Segment40,
        $"{Segment40}.{Segment40}.{Segment40}.{Segment40}",
    ];

    public static TheoryData<string?> InvalidIds =>
    [
        null,
        "",
        "Chifeng",
        "chifeng.Hongshan",
        "chifeng..hongshan",
        ".chifeng",
        "chifeng.",
        ".",
        "chifeng.hongshan.t01.b001.x", // 5 segments
        "chi'feng",
        "chifeng/hongshan",
        "chifeng#1",
        "chifeng?x=1",
        "chi feng",
        " chifeng",
        "chifeng ",
        "chifeng\n",
        "chifeng\r\n",
        "chifeng_1",
        "chifèng",
        "赤峰",
        Segment41,
        $"chifeng.{Segment41}",
        new string('a', UnitPath.MaxLength + 1),
    ];

    [Theory]
    [MemberData(nameof(ValidIds))]
    public void Lowercase_dotted_paths_of_one_to_four_segments_are_valid(string id)
    {
        Assert.True(UnitPath.IsValid(id));
    }

    [Theory]
    [MemberData(nameof(InvalidIds))]
    public void Anything_else_is_invalid(string? id)
    {
        Assert.False(UnitPath.IsValid(id));
    }

    [Theory]
    [InlineData("chifeng", 1)]
    [InlineData("chifeng.hongshan.t01.b001", 4)]
    public void Depth_counts_the_segments(string id, int depth)
    {
        Assert.Equal(depth, UnitPath.Depth(id));
    }

    [Theory]
    [InlineData("chifeng", null)]
    [InlineData("chifeng.hongshan", "chifeng")]
    [InlineData("chifeng.hongshan.t01", "chifeng.hongshan")]
    [InlineData("chifeng.hongshan.t01.b001", "chifeng.hongshan.t01")]
    public void The_parent_is_the_id_without_its_last_segment(string id, string? parent)
    {
        Assert.Equal(parent, UnitPath.ParentOf(id));
    }

    [Theory]
    [InlineData("chifeng", UnitKinds.City)]
    [InlineData("chifeng.hongshan", UnitKinds.County)]
    [InlineData("chifeng.hongshan.t01", UnitKinds.Township)]
    [InlineData("chifeng.hongshan.t01.b001", UnitKinds.Branch)]
    public void The_kind_follows_from_the_depth(string id, string kind)
    {
        Assert.Equal(kind, UnitPath.KindOf(id));
    }

    [Theory]
    [InlineData("chifeng", "chifeng", true)]
    [InlineData("chifeng", "chifeng.hongshan.t01.b001", true)]
    [InlineData("chifeng.hongshan", "chifeng.hongshan", true)]
    [InlineData("chifeng.hongshan", "chifeng.hongshan.t01", true)]
    [InlineData("chifeng.hongshan", "chifeng.hongshan.t01.b001", true)]
    [InlineData("chifeng.hong", "chifeng.hongshan", false)] // a prefix of a segment is not an ancestor
    [InlineData("chifeng.hong", "chifeng.hongshan.t01", false)]
    [InlineData("chifeng.hongshan", "chifeng", false)] // a scope does not reach up
    [InlineData("chifeng.hongshan", "chifeng.aohan.t01", false)] // nor sideways
    [InlineData("chifeng.hongshan.t01", "chifeng.hongshan.t02.b001", false)]
    [InlineData("chifeng", "chifeng2", false)]
    public void A_scope_covers_its_unit_and_the_descendants_only(string scope, string unitId, bool covers)
    {
        Assert.Equal(covers, UnitPath.Covers(scope, unitId));
    }

    [Theory]
    [InlineData("chifeng.hongshan.t01.b001", 1, "chifeng")]
    [InlineData("chifeng.hongshan.t01.b001", 2, "chifeng.hongshan")]
    [InlineData("chifeng.hongshan.t01.b001", 3, "chifeng.hongshan.t01")]
    [InlineData("chifeng.hongshan.t01.b001", 4, "chifeng.hongshan.t01.b001")]
    [InlineData("chifeng.hongshan.t01.b001", 5, "chifeng.hongshan.t01.b001")]
    [InlineData("chifeng.hongshan", 3, "chifeng.hongshan")] // not deeper: the id itself
    [InlineData("chifeng", 1, "chifeng")]
    public void AncestorAt_cuts_the_id_at_the_given_depth(string id, int depth, string ancestor)
    {
        Assert.Equal(ancestor, UnitPath.AncestorAt(id, depth));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void AncestorAt_needs_a_depth_of_at_least_one(int depth)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => UnitPath.AncestorAt("chifeng.hongshan", depth));
    }
}
