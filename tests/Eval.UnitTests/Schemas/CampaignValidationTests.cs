using System.Text.Json.Nodes;
using Eval.Workflows.Domain;
using Eval.Workflows.Schemas;

namespace Eval.UnitTests.Schemas;

public class CampaignValidationTests
{
    [Fact]
    public async Task The_example_campaign_is_valid()
    {
        Assert.Empty(await SampleBodies.CheckCampaignAsync(SampleBodies.Campaign));
    }

    [Fact]
    public async Task A_campaign_without_the_optional_fields_is_valid()
    {
        string json = SampleBodies.Edit(SampleBodies.Campaign, body =>
        {
            body.Remove("scorersPerBranch");
            body.Remove("maxReturns");
            body["rubric"].Obj().Remove("vetoItems");
        });

        Assert.Empty(await SampleBodies.CheckCampaignAsync(json));
    }

    [Fact]
    public async Task A_duplicate_criterion_id_is_reported_at_the_second_one()
    {
        string json = SampleBodies.Edit(SampleBodies.Campaign, body => body["rubric"]!["criteria"]![1]!["id"] = "political");

        FieldError error = Assert.Single(await SampleBodies.CheckCampaignAsync(json));
        Assert.Equal("/rubric/criteria/1/id", error.Pointer);
    }

    [Fact]
    public async Task A_rubric_without_a_unity_criterion_is_reported_at_the_criteria()
    {
        // The Chifeng rubric's unity criterion is unity through its section.
        string json = SampleBodies.Edit(SampleBodies.Campaign, body => body["rubric"]!["sections"]![3].Obj().Remove("unity"));

        FieldError error = Assert.Single(await SampleBodies.CheckCampaignAsync(json));
        Assert.Equal("/rubric/criteria", error.Pointer);
    }

    [Theory]
    [InlineData(95)]
    [InlineData(90)]
    public async Task Levels_not_in_strictly_descending_order_are_reported_at_the_later_minScore(int advancedMinScore)
    {
        string json = SampleBodies.Edit(SampleBodies.Campaign, body => body["levels"]![1]!["minScore"] = advancedMinScore);

        FieldError error = Assert.Single(await SampleBodies.CheckCampaignAsync(json));
        Assert.Equal("/levels/1/minScore", error.Pointer);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("1.5")]
    [InlineData("-0.2")]
    public async Task A_quota_outside_zero_to_one_is_reported_at_the_quota(string quota)
    {
        string json = SampleBodies.Edit(SampleBodies.Campaign, body => body["levels"]![0]!["quota"] = JsonNode.Parse(quota));

        FieldError error = Assert.Single(await SampleBodies.CheckCampaignAsync(json));
        Assert.Equal("/levels/0/quota", error.Pointer);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1.5)]
    public void The_rules_refuse_a_quota_outside_zero_to_one_too(decimal quota)
    {
        CampaignDefinition campaign = SampleBodies.CampaignDefinition;
        campaign = campaign with { Levels = [campaign.Levels[0] with { Quota = quota }, .. campaign.Levels.Skip(1)] };

        Assert.Equal([new FieldError("/levels/0/quota", "must be > 0 and ≤ 1")], CampaignRules.Validate(campaign));
    }

    [Fact]
    public async Task A_duplicate_level_id_is_reported_at_the_second_one()
    {
        string json = SampleBodies.Edit(SampleBodies.Campaign, body => body["levels"]![1]!["id"] = "strongest");

        FieldError error = Assert.Single(await SampleBodies.CheckCampaignAsync(json));
        Assert.Equal("/levels/1/id", error.Pointer);
    }

    [Theory]
    [InlineData("none")]
    [InlineData("revoked")]
    public async Task A_reserved_level_id_is_refused(string id)
    {
        string json = SampleBodies.Edit(SampleBodies.Campaign, body => body["levels"]![2]!["id"] = id);

        FieldError error = Assert.Single(await SampleBodies.CheckCampaignAsync(json));
        Assert.Equal("/levels/2/id", error.Pointer);
    }

    [Fact]
    public async Task A_duplicate_veto_id_is_reported_at_the_second_one()
    {
        string json = SampleBodies.Edit(SampleBodies.Campaign, body =>
            body["rubric"]!["vetoItems"].Arr().Add(new JsonObject { ["id"] = "ethnic-incident", ["title"] = "重复" }));

        FieldError error = Assert.Single(await SampleBodies.CheckCampaignAsync(json));
        Assert.Equal("/rubric/vetoItems/1/id", error.Pointer);
    }

    [Theory]
    [InlineData("selfAssessment", "14 days")]
    [InlineData("townshipReview", "P1M")]
    [InlineData("countyScoring", "P")]
    [InlineData("publicity", "P0D")]
    public async Task A_bad_duration_is_reported_at_its_stage(string stage, string duration)
    {
        string json = SampleBodies.Edit(SampleBodies.Campaign, body => body["schedule"]![stage] = duration);

        FieldError error = Assert.Single(await SampleBodies.CheckCampaignAsync(json));
        Assert.Equal("/schedule/" + stage, error.Pointer);
    }

    [Theory]
    [InlineData("chifeng.hongshan.t01")]
    [InlineData("chifeng.hongshan.t01.b001")]
    public async Task A_campaign_over_a_township_or_branch_is_refused(string unit)
    {
        string json = SampleBodies.Edit(SampleBodies.Campaign, body => body["unit"] = unit);

        FieldError error = Assert.Single(await SampleBodies.CheckCampaignAsync(json));
        Assert.Equal("/unit", error.Pointer);
    }

    [Fact]
    public async Task A_campaign_over_the_whole_city_is_accepted()
    {
        string json = SampleBodies.Edit(SampleBodies.Campaign, body => body["unit"] = "chifeng");

        Assert.Empty(await SampleBodies.CheckCampaignAsync(json));
    }

    [Fact]
    public async Task An_unknown_property_at_the_root_is_reported_at_it()
    {
        string json = SampleBodies.Edit(SampleBodies.Campaign, body => body["season"] = "winter");

        Assert.Equal([new FieldError("/season", "unknown property")], await SampleBodies.CheckCampaignAsync(json));
    }

    [Fact]
    public async Task An_unknown_property_in_a_nested_object_is_reported_at_it()
    {
        string json = SampleBodies.Edit(SampleBodies.Campaign, body =>
        {
            body["rubric"]!["criteria"]![2]!["weight"] = 2;
            body["schedule"]!["appeal"] = "P3D";
        });

        Assert.Equal(
            [new FieldError("/rubric/criteria/2/weight", "unknown property"), new FieldError("/schedule/appeal", "unknown property")],
            await SampleBodies.CheckCampaignAsync(json));
    }

    [Fact]
    public async Task Missing_required_properties_are_reported_where_they_belong()
    {
        string json = SampleBodies.Edit(SampleBodies.Campaign, body =>
        {
            body.Remove("title");
            body["rubric"].Obj().Remove("unityWeight");
            body["levels"]![0].Obj().Remove("minScore");
        });

        Assert.Equal(
            [
                new FieldError("/levels/0/minScore", "required"),
                new FieldError("/rubric/unityWeight", "required"),
                new FieldError("/title", "required"),
            ],
            await SampleBodies.CheckCampaignAsync(json));
    }

    [Theory]
    [InlineData("/id", "\"H\"")]
    [InlineData("/unit", "\"chifeng..hongshan\"")]
    [InlineData("/rubric/criteria/0/maxPoints", "0")]
    [InlineData("/rubric/criteria/0/maxPoints", "1001")]
    [InlineData("/rubric/unityWeight", "0.5")]
    [InlineData("/rubric/unityMinShare", "1.2")]
    [InlineData("/levels/1/minScore", "101")]
    [InlineData("/scorersPerBranch", "0")]
    [InlineData("/scorersPerBranch", "1.5")]
    [InlineData("/maxReturns", "11")]
    [InlineData("/schedule/publicity", "5")]
    public async Task Out_of_range_values_are_refused_by_the_schema(string pointer, string value)
    {
        string json = SampleBodies.Edit(SampleBodies.Campaign, body =>
        {
            string[] path = pointer.TrimStart('/').Split('/');
            JsonNode parent = body;
            foreach (string segment in path[..^1])
                parent = int.TryParse(segment, out int index) ? parent[index]! : parent[segment]!;
            parent[path[^1]] = JsonNode.Parse(value);
        });

        IReadOnlyList<FieldError> errors = await SampleBodies.CheckCampaignAsync(json);

        Assert.NotEmpty(errors);
        Assert.All(errors, e => Assert.Equal(pointer, e.Pointer));
    }

    [Fact]
    public async Task A_maxPoints_above_the_limit_says_the_limit()
    {
        string json = SampleBodies.Edit(SampleBodies.Campaign, body => body["rubric"]!["criteria"]![0]!["maxPoints"] = 1500);

        Assert.Equal([new FieldError("/rubric/criteria/0/maxPoints", "must be ≤ 1000")], await SampleBodies.CheckCampaignAsync(json));
    }

    [Fact]
    public void The_rules_report_several_problems_in_pointer_order()
    {
        CampaignDefinition campaign = SampleBodies.CampaignDefinition;
        campaign = campaign with
        {
            Unit = "chifeng.hongshan.t01",
            Schedule = campaign.Schedule with { Publicity = "soon" },
            Rubric = campaign.Rubric with { Sections = [.. campaign.Rubric.Sections!.Select(s => s with { Unity = false })] },
        };

        Assert.Equal(["/rubric/criteria", "/schedule/publicity", "/unit"], CampaignRules.Validate(campaign).Select(e => e.Pointer));
    }

    /// <summary>The Chifeng rubric in sections, with a deduction, a bonus, a flag and a cap: valid as it stands.</summary>
    static Rubric Structured()
    {
        Rubric flat = SampleBodies.CampaignDefinition.Rubric;
        return flat with
        {
            Criteria = [.. flat.Criteria.Select(c => c with { Section = c.Id, Unity = false })],
            Sections = [.. flat.Criteria.Select(c => new RubricSection(c.Id, c.Title, Unity: flat.IsUnity(c)))],
            Deductions = [new DeductionItem("absent", "缺席组织生活", 0.5m, 4m)],
            Bonuses = [new BonusItem("innovation", "创新项目", 3m)],
            BonusCap = 3m,
            Components = [new ScoreComponent(ScoreComponents.Basic, 1m)],
            MaxTotal = 100m,
            Flags = [new ScorerFlag("innovation", "党建创新项目")],
        };
    }

    public static TheoryData<string, Func<Rubric, Rubric>, string, string> StructuredRubricProblems => new()
    {
        { "valid", r => r, "", "" },
        { "a criterion outside the sections", r => r with { Criteria = [.. r.Criteria, new Criterion("extra", "额外", 5, Section: "x")] },
            "/rubric/criteria/4/section", "must be one of the rubric's sections" },
        { "a section without criteria", r => r with { Sections = [.. r.Sections!, new RubricSection("empty", "空")] },
            "/rubric/sections/4", "has no criterion" },
        { "a duplicate section", r => r with { Sections = [.. r.Sections!, r.Sections![0]] }, "/rubric/sections/4/id",
            "duplicate section" },
        { "no unity section or criterion", r => r with { Sections = [.. r.Sections!.Select(s => s with { Unity = false })] },
            "/rubric/criteria", "needs at least one unity criterion" },
        { "a deduction of nothing", r => r with { Deductions = [new DeductionItem("absent", "缺席", 0m, 4m)] },
            "/rubric/deductions/0/pointsEach", "must be > 0" },
        { "a deduction cap under one occurrence", r => r with { Deductions = [new DeductionItem("absent", "缺席", 0.5m, 0.25m)] },
            "/rubric/deductions/0/cap", "at least pointsEach" },
        { "a bonus of nothing", r => r with { Bonuses = [new BonusItem("b", "奖", 0m)] }, "/rubric/bonuses/0/maxPoints", "must be > 0" },
        { "a bonus cap without bonuses", r => r with { Bonuses = [] }, "/rubric/bonusCap", "no bonus items" },
        { "weights that do not add up to 1", r => r with { Components = [new ScoreComponent(ScoreComponents.Basic, 0.9m)] },
            "/rubric/components", "add up to 1, not 0.9" },
        { "the appraisal component in a campaign without the appraisal", r => r with
            {
                Components = [new ScoreComponent(ScoreComponents.Basic, 0.7m), new ScoreComponent(ScoreComponents.Appraisal, 0.3m)],
            }, "/rubric/components/1/kind", "needs the campaign's members' appraisal" },
        { "a duplicate flag", r => r with { Flags = [.. r.Flags!, r.Flags![0]] }, "/rubric/flags/1/id", "duplicate flag" },
        { "an unknown component", r => r with
            {
                Components = [new ScoreComponent(ScoreComponents.Basic, 0.5m), new ScoreComponent("luck", 0.5m)],
            }, "/rubric/components/1/kind", "must be one of: basic, appraisal" },
        { "a cap of nothing", r => r with { MaxTotal = 0m }, "/rubric/maxTotal", "must be > 0" },
    };

    [Theory]
    [MemberData(nameof(StructuredRubricProblems))]
    public void A_structured_rubric_is_checked_rule_by_rule(string problem, Func<Rubric, Rubric> change, string pointer, string says)
    {
        CampaignDefinition campaign = SampleBodies.CampaignDefinition with { Rubric = change(Structured()), Appraisal = null };
        AssertTheOneProblem(CampaignRules.Validate(campaign), problem, pointer, says);
    }

    public static TheoryData<string, Func<CampaignDefinition, CampaignDefinition>, string, string> AppraisalProblems => new()
    {
        { "valid", c => c, "", "" },
        { "no basic component", c => c with { Rubric = c.Rubric with { Components = [new ScoreComponent(ScoreComponents.Appraisal, 1m)] } },
            "/rubric/components", "needs the 'basic' component" },
        { "a window that is no duration", c => c with { Appraisal = c.Appraisal! with { Window = "a week" } },
            "/appraisal/window", "ISO-8601 duration" },
        { "a choice twice", c => c with { Appraisal = c.Appraisal! with { Choices = [.. c.Appraisal.Choices, c.Appraisal.Choices[0]] } },
            "/appraisal/choices/3/id", "duplicate choice" },
        { "a cap at the top level",
            c => c with { Appraisal = c.Appraisal! with { Gate = c.Appraisal.Gate! with { CapsAt = "strongest" } } },
            "/appraisal/gate/capsAt", "below the top one" },
        { "a cap at no level of the campaign", c => c with { Appraisal = c.Appraisal! with { Gate = new AppraisalGate(0.6m, "bronze") } },
            "/appraisal/gate/capsAt", "below the top one" },
        { "no participation at all", c => c with { Appraisal = c.Appraisal! with { MinParticipation = 0m } },
            "/appraisal/minParticipation", "must be > 0" },
    };

    [Theory]
    [MemberData(nameof(AppraisalProblems))]
    public void The_appraisal_is_checked_rule_by_rule(string problem, Func<CampaignDefinition, CampaignDefinition> change, string pointer,
        string says) =>
        AssertTheOneProblem(CampaignRules.Validate(change(SampleBodies.CampaignDefinition)), problem, pointer, says);

    [Fact]
    public void A_categorys_rubric_is_checked_as_the_campaigns_is_at_its_own_pointers()
    {
        CampaignDefinition campaign = SampleBodies.CampaignDefinition with
        {
            Rubrics = new Dictionary<string, Rubric>
            {
                [BranchCategories.Community] = Structured() with { Deductions = [new DeductionItem("absent", "缺席", 0m, 4m)] },
                ["farm"] = Structured(),
            },
        };

        Assert.Equal(["/rubrics/community/deductions/0/pointsEach", "/rubrics/farm"],
            CampaignRules.Validate(campaign).Select(e => e.Pointer));
    }

    [Fact]
    public async Task The_schema_takes_a_structured_rubric_and_a_rubric_per_category()
    {
        string structured = Eval.Workflows.Storage.Json.Write(Structured());
        string json = SampleBodies.Edit(SampleBodies.Campaign, body =>
        {
            body["rubric"] = JsonNode.Parse(structured);
            body["rubrics"] = new JsonObject { ["community"] = JsonNode.Parse(structured) };
        });

        Assert.Empty(await SampleBodies.CheckCampaignAsync(json));
    }

    [Theory]
    [InlineData("/rubrics/farm", "farm")]
    [InlineData("/rubrics/community/deductions/0/cap", "cap")]
    [InlineData("/rubrics/community/criteria/0/title", "title")]
    public async Task The_schema_holds_a_categorys_rubric_to_the_rubric_schema(string pointer, string what)
    {
        string structured = Eval.Workflows.Storage.Json.Write(Structured());
        string json = SampleBodies.Edit(SampleBodies.Campaign, body =>
        {
            JsonNode rubric = JsonNode.Parse(structured)!;
            switch (what)
            {
                case "farm": body["rubrics"] = new JsonObject { ["farm"] = rubric }; return;
                case "cap": rubric["deductions"]![0]!.Obj().Remove("cap"); break;
                case "title": rubric["criteria"]![0]!["title"] = "政治\u202e引领"; break;
            }
            body["rubrics"] = new JsonObject { ["community"] = rubric };
        });

        Assert.Contains(await SampleBodies.CheckCampaignAsync(json), e => e.Pointer.StartsWith(pointer, StringComparison.Ordinal));
    }

    public static TheoryData<string, QuotaAllocation, decimal?, string, string> AllocationProblems => new()
    {
        { "a share of each township", new QuotaAllocation(UnitKinds.Township), 0.3m, "", "" },
        { "places named per township", new QuotaAllocation(UnitKinds.Township,
            new Dictionary<string, int> { ["chifeng.hongshan.t01"] = 4 }), null, "", "" },
        { "counties under a county", new QuotaAllocation(UnitKinds.County), 0.3m, "/levels/0/allocation/by",
            "must be a kind of unit under the campaign's county" },
        { "branches", new QuotaAllocation(UnitKinds.Branch), 0.3m, "/levels/0/allocation/by", "must be county or township" },
        { "a township of another county", new QuotaAllocation(UnitKinds.Township,
            new Dictionary<string, int> { ["chifeng.songshan.t01"] = 4 }), null, "/levels/0/allocation/places/chifeng.songshan.t01",
            "must be a township under chifeng.hongshan" },
        { "neither a share nor places", new QuotaAllocation(UnitKinds.Township), null, "/levels/0/allocation",
            "needs the level's quota" },
    };

    [Theory]
    [MemberData(nameof(AllocationProblems))]
    public void A_levels_places_go_to_units_under_the_campaigns(string problem, QuotaAllocation allocation, decimal? quota, string pointer,
        string says)
    {
        CampaignDefinition campaign = SampleBodies.CampaignDefinition;
        campaign = campaign with
        {
            Levels = [campaign.Levels[0] with { Quota = quota, Allocation = allocation }, .. campaign.Levels.Skip(1)],
        };
        AssertTheOneProblem(CampaignRules.Validate(campaign), problem, pointer, says);
    }

    public static TheoryData<string, LevelGate, string, string> GateProblems => new()
    {
        { "a flag of the rubric", new LevelGate(GateKinds.Flag) { Flag = "innovation" }, "", "" },
        { "a unity share", new LevelGate(GateKinds.UnityShare) { MinShare = 0.9m }, "", "" },
        { "uploaded files", new LevelGate(GateKinds.Evidence) { MinFiles = 2 }, "", "" },
        { "an unknown kind", new LevelGate("luck"), "/levels/0/gates/0/kind", "must be one of: unity-share, flag, evidence" },
        { "a flag the rubric lacks", new LevelGate(GateKinds.Flag) { Flag = "luck" }, "/levels/0/gates/0/flag", "must be a flag" },
        { "a gate without its parameter", new LevelGate(GateKinds.Evidence), "/levels/0/gates/0", "needs minFiles" },
        { "another gate's parameter", new LevelGate(GateKinds.Flag) { Flag = "innovation", MinFiles = 1 },
            "/levels/0/gates/0/minFiles", "is not a parameter of a flag gate" },
        { "a share over 1", new LevelGate(GateKinds.UnityShare) { MinShare = 1.5m }, "/levels/0/gates/0/minShare", "between 0 and 1" },
        { "no revocation in the default year", new LevelGate(GateKinds.NoRevocation), "", "" },
        { "no revocation in two years", new LevelGate(GateKinds.NoRevocation) { WithinDays = 730 }, "", "" },
        { "a period of no days", new LevelGate(GateKinds.NoRevocation) { WithinDays = 0 }, "/levels/0/gates/0/withinDays",
            "must be from 1 to 3650" },
        { "a period on another gate", new LevelGate(GateKinds.Evidence) { MinFiles = 1, WithinDays = 365 },
            "/levels/0/gates/0/withinDays", "is not a parameter of a evidence gate" },
    };

    [Theory]
    [InlineData("""{"kind":"no-revocation"}""", "")]
    [InlineData("""{"kind":"no-revocation","withinDays":730}""", "")]
    [InlineData("""{"kind":"no-revocation","withinDays":0}""", "/levels/0/gates/0/withinDays")]
    [InlineData("""{"kind":"no-revocation","withinDays":3651}""", "/levels/0/gates/0/withinDays")]
    public async Task The_schema_takes_a_no_revocation_gate_with_or_without_its_period(string gate, string pointer)
    {
        string json = SampleBodies.Edit(SampleBodies.Campaign, body => body["levels"]![0]!["gates"] = new JsonArray(JsonNode.Parse(gate)));

        IReadOnlyList<FieldError> errors = await SampleBodies.CheckCampaignAsync(json);

        Assert.Equal(pointer == "" ? [] : [pointer], errors.Select(e => e.Pointer).Distinct());
    }

    [Theory]
    [MemberData(nameof(GateProblems))]
    public void A_levels_gates_come_from_the_fixed_list_with_their_parameters(string problem, LevelGate gate, string pointer, string says)
    {
        CampaignDefinition campaign = SampleBodies.CampaignDefinition;
        campaign = campaign with
        {
            Rubric = Structured(),
            Levels = [campaign.Levels[0] with { Gates = [gate] }, .. campaign.Levels.Skip(1)],
        };
        AssertTheOneProblem(CampaignRules.Validate(campaign), problem, pointer, says);
    }

    /// <summary>No problem when <paramref name="pointer"/> is empty, else exactly one, there, saying <paramref name="says"/>.</summary>
    static void AssertTheOneProblem(IReadOnlyList<FieldError> errors, string problem, string pointer, string says)
    {
        if (pointer == "")
        {
            Assert.True(errors.Count == 0, $"{problem}: {string.Join("; ", errors)}");
            return;
        }
        FieldError error = Assert.Single(errors);
        Assert.Equal(pointer, error.Pointer);
        Assert.Contains(says, error.Detail, StringComparison.Ordinal);
    }
}
