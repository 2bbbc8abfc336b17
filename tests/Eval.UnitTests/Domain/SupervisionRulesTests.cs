using System.Text.Json.Nodes;
using Eval.UnitTests.Schemas;
using Eval.Workflows.Domain;
using Eval.Workflows.Notifications;
using Eval.Workflows.Schemas;

namespace Eval.UnitTests.Domain;

/// <summary>Who supervises which step, to whom its notices go and in which words, and the campaign's reminder setting.</summary>
public class SupervisionRulesTests
{
    const string Branch = "chifeng.hongshan.t01.b001";

    [Fact]
    public void Each_step_is_urged_by_the_roles_above_it_and_extended_by_the_organization_department_or_the_county()
    {
        Assert.Equal([Roles.TownshipReviewer, Roles.CountyScorer, Roles.OrgDepartment],
            SupervisionRules.MayUrge(Stages.AwaitingSelfAssessment));
        Assert.Equal([Roles.CountyScorer, Roles.OrgDepartment], SupervisionRules.MayUrge(Stages.AwaitingTownshipReview));
        Assert.Equal([Roles.OrgDepartment], SupervisionRules.MayUrge(Stages.AwaitingCountyScore));
        Assert.Empty(SupervisionRules.MayUrge(Stages.AwaitingAppraisal));
        Assert.Empty(SupervisionRules.MayUrge(Stages.Done));
        Assert.Contains(Roles.CountyScorer, SupervisionRules.MayExtend(Stages.AwaitingTownshipReview));
        // The county does not extend its own step.
        Assert.Equal([Roles.OrgDepartment], SupervisionRules.MayExtend(Stages.AwaitingCountyScore));
    }

    [Fact]
    public void A_step_waits_on_the_branch_its_township_or_its_county_and_the_overdue_role_stands_in()
    {
        Assert.Equal(new Recipient(Branch, Roles.BranchSecretary), StepNotices.WaitsOn(Stages.AwaitingSelfAssessment, Branch));
        Assert.Equal(new Recipient("chifeng.hongshan.t01", Roles.TownshipReviewer),
            StepNotices.WaitsOn(Stages.AwaitingTownshipReview, Branch));
        Assert.Equal(new Recipient("chifeng.hongshan", Roles.CountyScorer), StepNotices.WaitsOn(Stages.AwaitingCountyScore, Branch));
        Assert.Null(StepNotices.StandsIn(Stages.AwaitingSelfAssessment, Branch));
        Assert.Equal(new Recipient("chifeng.hongshan", Roles.CountyScorer), StepNotices.StandsIn(Stages.AwaitingTownshipReview, Branch));
        Assert.Equal(new Recipient("chifeng.hongshan", Roles.OrgDepartment), StepNotices.StandsIn(Stages.AwaitingCountyScore, Branch));
    }

    [Fact]
    public void Notices_show_the_time_in_China_and_say_what_is_due()
    {
        var deadline = new DateTimeOffset(2026, 12, 8, 10, 0, 0, TimeSpan.Zero);
        Assert.Equal("12月8日18:00", StepNotices.When(deadline));
        Assert.Equal("【提醒】红山区第1街道第1社区党支部的自评将于12月8日18:00截止。",
            StepNotices.Reminder("红山区第1街道第1社区党支部", Stages.AwaitingSelfAssessment, deadline));
    }

    [Fact]
    public void Reminders_come_three_days_and_one_day_before_by_default_and_a_campaign_sets_its_own()
    {
        Assert.Equal([("P3D", TimeSpan.FromDays(3)), ("P1D", TimeSpan.FromDays(1))], ReminderRules.Default.Offsets());
        Assert.True(ReminderRules.Default.TellsMiss);
        var seconds = new ReminderRules { Before = ["PT10S", "PT5S", "PT10S"], OnMiss = false };
        Assert.Equal([("PT10S", TimeSpan.FromSeconds(10)), ("PT5S", TimeSpan.FromSeconds(5))], seconds.Offsets());
        Assert.False(seconds.TellsMiss);
        Assert.Empty(new ReminderRules { Before = [] }.Offsets());
    }

    [Fact]
    public async Task A_reminder_that_is_not_a_duration_is_refused_at_its_pointer()
    {
        string json = SampleBodies.Edit(SampleBodies.Campaign, body =>
            body["reminders"] = new JsonObject { ["before"] = new JsonArray("P3D", "3 days") });

        FieldError error = Assert.Single(await SampleBodies.CheckCampaignAsync(json));
        Assert.Equal("/reminders/before/1", error.Pointer);
    }

    [Fact]
    public void Reminder_partitions_sort_as_time_does()
    {
        var a = new DateTimeOffset(2026, 12, 8, 9, 59, 59, TimeSpan.Zero);
        Assert.Equal("202612080959", ReminderStore.BucketOf(a));
        Assert.Equal("202612081000", ReminderStore.BucketOf(a.AddSeconds(1).ToOffset(TimeSpan.FromHours(8))));
        Assert.True(string.CompareOrdinal(ReminderStore.BucketOf(a), ReminderStore.BucketOf(a.AddSeconds(1))) < 0);
    }
}
