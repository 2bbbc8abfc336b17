using Eval.Application;
using Eval.Workflows.Domain;

namespace Eval.UnitTests.Auth;

/// <summary>A role acts on its unit and that unit's descendants, and nowhere else.</summary>
public sealed class CallerTests
{
    static readonly Caller Reviewer = new("u-1", "Alice", [Roles.TownshipReviewer], "chifeng.hongshan");

    [Theory]
    [InlineData("chifeng.hongshan", true)]
    [InlineData("chifeng.hongshan.t01", true)]
    [InlineData("chifeng.hongshan.t01.b001", true)]
    [InlineData("chifeng", false)]
    [InlineData("chifeng.songshan", false)]
    [InlineData("chifeng.hongshanx", false)]
    [InlineData("chifeng.hongshan.t01/../x", false)]
    [InlineData("", false)]
    public void CanActOn_follows_the_unit_tree(string unitId, bool expected) =>
        Assert.Equal(expected, Reviewer.CanActOn(Roles.TownshipReviewer, unitId));

    [Fact]
    public void A_scope_that_is_a_string_prefix_of_a_sibling_does_not_cover_it()
    {
        var caller = Reviewer with { Unit = "chifeng.hong" };
        Assert.False(caller.CanActOn(Roles.TownshipReviewer, "chifeng.hongshan"));
        Assert.True(caller.CanActOn(Roles.TownshipReviewer, "chifeng.hong.t01"));
    }

    [Fact]
    public void A_role_the_caller_lacks_is_refused_even_in_scope()
    {
        Assert.False(Reviewer.CanActOn(Roles.CountyScorer, "chifeng.hongshan.t01"));
        Assert.False(Reviewer.HasRole("Township-Reviewer"));
        Assert.True(Reviewer.HasRole(Roles.TownshipReviewer));
    }

    [Fact]
    public void Roles_All_lists_the_five_roles_once()
    {
        Assert.Equal(5, Roles.All.Distinct().Count());
        Assert.Contains(Roles.BranchSecretary, Roles.All);
        Assert.Contains(Roles.OrgDepartment, Roles.All);
    }
}
