using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Eval.FunctionalTests.Infrastructure;
using Eval.Workflows.Domain;
using Eval.Workflows.Keys;
using Eval.Workflows.Notifications;
using Eval.Workflows.Storage;

namespace Eval.FunctionalTests;

/// <summary>
/// Demotions and revocations of honours through the year (动态管理), over HTTP on the real host: one campaign over the
/// city (so that an overdue decision is escalated from the county to the city), published with ten branches (three
/// strongest, seven advanced), with a decision due within 20 s and a notice of 5 s; each test changes its own branch.
/// </summary>
public sealed class HonourChangeTests(LocalHostFixture fx) : IClassFixture<LocalHostFixture>
{
    static readonly byte[] Pdf = Encoding.ASCII.GetBytes("%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n");
    static readonly TimeSpan DecisionWithin = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_revocation_with_a_notice_and_a_dismissed_objection_revokes_the_title_and_signs_the_list_again()
    {
        World w = await WorldAsync(fx);
        string branch = w.County.Branches[0]; // strongest
        HttpClient reviewer = w.Driver.As(Roles.TownshipReviewer, CampaignDriver.TownshipOf(branch));

        // The reviewer uploads the discipline commission's decision and cites it.
        var (evidenceId, sha256) = await UploadAsync(w, reviewer, branch);
        using HttpResponseMessage proposed = await reviewer.PostAsJsonAsync(Changes(w, branch), new
        {
            kind = "revoke", reasonCategory = "negative-list",
            description = "组织生活会连续两个季度未召开；\n支部书记受处分。",
            evidence = new[] { evidenceId },
        });
        await CampaignDriver.Expect(proposed, HttpStatusCode.Accepted);
        string changeId = (await proposed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("changeId").GetString()!;
        Assert.Equal($"/{Changes(w, branch)}/{changeId}", proposed.Headers.Location?.OriginalString);

        JsonElement change = await ChangeAsync(w, branch, changeId);
        Assert.Equal("proposed", change.GetProperty("status").GetString());
        Assert.Equal("strongest", change.GetProperty("fromLevel").GetString());
        Assert.Equal(Roles.TownshipReviewer, change.GetProperty("proposedBy").GetProperty("role").GetString());
        Assert.Equal(sha256, change.GetProperty("evidence")[0].GetProperty("sha256").GetString());

        // One open change per honour: a second proposal names the open one.
        using HttpResponseMessage second = await w.Driver.As(Roles.CountyScorer, w.County.Id).PostAsJsonAsync(Changes(w, branch),
            new { kind = "revoke", reasonCategory = "veto", description = "另一事项" });
        Assert.Equal(changeId, (await ExpectProblemAsync(second, 409)).GetProperty("changeId").GetString());

        await CampaignDriver.Expect(await w.CountyOrg.PostAsJsonAsync($"{Changes(w, branch)}/{changeId}/decision",
            new { approve = true, notice = true, comment = "经核实属实，公示后撤销。" }), HttpStatusCode.Accepted);
        await WaitForStatusAsync(w, branch, changeId, "notice");

        // Anyone inside the campaign's unit objects, once; the organization department dismisses it.
        HttpClient villager = w.Driver.As(Roles.Member, branch, "villager-1");
        using HttpResponseMessage objected = await villager.PostAsJsonAsync($"{Changes(w, branch)}/{changeId}/objections",
            new { text = "该支部已整改，请核实。" });
        await CampaignDriver.Expect(objected, HttpStatusCode.Accepted);
        string objectionId = (await objected.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        await ExpectProblemAsync(
            await villager.PostAsJsonAsync($"{Changes(w, branch)}/{changeId}/objections", new { text = "再次" }), 409);
        await CampaignDriver.Expect(await w.CountyOrg.PostAsJsonAsync(
            $"{Changes(w, branch)}/{changeId}/objections/{objectionId}/resolution",
            new { upheld = false, comment = "整改不影响已发生的事项。" }), HttpStatusCode.OK);

        change = await WaitForStatusAsync(w, branch, changeId, "applied");
        Assert.Equal(1, change.GetProperty("objections").GetInt32());
        Assert.Equal(0, change.GetProperty("upheldObjections").GetInt32());
        JsonElement list = await w.CountyOrg.GetFromJsonAsync<JsonElement>(Changes(w, branch));
        Assert.Equal(changeId, Assert.Single(list.GetProperty("changes").EnumerateArray()).GetProperty("id").GetString());

        // The register: revoked, since when, why.
        TableEntity honour = (await fx.Table("Honours").GetEntityAsync<TableEntity>(w.Campaign, branch)).Value;
        Assert.Equal(HonourStatus.Revoked, honour.GetString("Status"));
        Assert.Equal("none", honour.GetString("CurrentLevel"));
        Assert.Equal("negative-list", honour.GetString("ReasonCategory"));
        Assert.Equal(changeId, honour.GetString("ChangeId"));
        DateTimeOffset since = honour.GetDateTimeOffset("Since")!.Value;
        Assert.True(since > change.GetProperty("proposedAt").GetDateTimeOffset());

        // A new signed list, verified against the published keys, shows the branch revoked with its date and category.
        JsonElement statement = await SignedListAsync(w, RatingsStatement.ForChange(changeId));
        Assert.True(statement.GetProperty("version").GetInt32() >= 2);
        JsonElement rating = statement.GetProperty("ratings").EnumerateArray().Single(r => r.GetProperty("branchId").GetString() == branch);
        Assert.Equal("revoked", rating.GetProperty("status").GetString());
        Assert.Equal("strongest", rating.GetProperty("level").GetString());
        Assert.Equal("negative-list", rating.GetProperty("reasonCategory").GetString());
        Assert.Equal(since, rating.GetProperty("since").GetDateTimeOffset());

        // The change's own audit chain, opened by its proposal, holds its content, the evidence's hash among it, and verifies.
        List<string> links = await ChangeLinksAsync(w, changeId);
        Assert.Contains(HonourChangeActions.Proposed, links[0], StringComparison.Ordinal);
        string applied = links.Single(l => l.Contains(HonourChangeActions.Applied, StringComparison.Ordinal) && l.Contains(changeId));
        Assert.Contains(sha256, applied, StringComparison.Ordinal);
        Assert.Contains("negative-list", applied, StringComparison.Ordinal);
        Assert.Single(links, l => l.Contains(HonourChangeActions.Proposed, StringComparison.Ordinal) && l.Contains(changeId));
        JsonElement verified = await w.CityOrg.GetFromJsonAsync<JsonElement>($"api/campaigns/{w.Campaign}/audit/verify");
        Assert.True(verified.GetProperty("intact").GetBoolean(), verified.ToString());
        await TamperingWithTheChangeIsDetectedAsync(w, branch, changeId);

        // A revoked title is changed no more.
        JsonElement gone = await ExpectProblemAsync(await reviewer.PostAsJsonAsync(Changes(w, branch),
            new { kind = "revoke", reasonCategory = "veto", description = "再次撤销" }), 409);
        Assert.EndsWith("honour-not-held", gone.GetProperty("type").GetString());
    }

    [Fact]
    public async Task A_demotion_without_notice_is_applied_once_however_often_it_is_sent_under_one_key()
    {
        World w = await WorldAsync(fx);
        string branch = w.County.Branches[1]; // strongest
        HttpClient scorer = w.Driver.As(Roles.CountyScorer, w.County.Id);
        string body = JsonSerializer.Serialize(new
        {
            kind = "demote", toLevel = "advanced", reasonCategory = "weak-and-lax",
            description = "经排查列为软弱涣散基层党组织。",
        });

        string[] ids = new string[3];
        for (int i = 0; i < 3; i++)
        {
            using HttpResponseMessage r = await SendKeyedAsync(scorer, Changes(w, branch), body, "demote-once");
            await CampaignDriver.Expect(r, HttpStatusCode.Accepted);
            ids[i] = (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("changeId").GetString()!;
        }
        Assert.All(ids, id => Assert.Equal(ids[0], id));
        string decision = JsonSerializer.Serialize(new { approve = true, comment = "同意降为先进党支部。" });
        for (int i = 0; i < 2; i++)
            await CampaignDriver.Expect(
                await SendKeyedAsync(w.CountyOrg, $"{Changes(w, branch)}/{ids[0]}/decision", decision, "decide-once"),
                HttpStatusCode.Accepted);

        JsonElement change = await WaitForStatusAsync(w, branch, ids[0], "applied");
        Assert.False(change.GetProperty("decision").GetProperty("notice").GetBoolean());
        JsonElement list = await scorer.GetFromJsonAsync<JsonElement>(Changes(w, branch));
        Assert.Single(list.GetProperty("changes").EnumerateArray());
        List<string> links = await ChangeLinksAsync(w, ids[0]);
        Assert.Single(links, l => l.Contains(HonourChangeActions.Proposed, StringComparison.Ordinal) && l.Contains(ids[0]));
        Assert.Single(links, l => l.Contains(HonourChangeActions.Decided, StringComparison.Ordinal) && l.Contains(ids[0]));
        Assert.Single(links, l => l.Contains(HonourChangeActions.Applied, StringComparison.Ordinal) && l.Contains(ids[0]));

        TableEntity honour = (await fx.Table("Honours").GetEntityAsync<TableEntity>(w.Campaign, branch)).Value;
        Assert.Equal(HonourStatus.Downgraded, honour.GetString("Status"));
        Assert.Equal("advanced", honour.GetString("CurrentLevel"));
        Assert.Equal("strongest", honour.GetString("Level"));
        JsonElement statement = await SignedListAsync(w, RatingsStatement.ForChange(ids[0]));
        JsonElement rating = statement.GetProperty("ratings").EnumerateArray().Single(r => r.GetProperty("branchId").GetString() == branch);
        Assert.Equal("downgraded", rating.GetProperty("status").GetString());
        Assert.Equal("advanced", rating.GetProperty("currentLevel").GetString());

        // A downgraded title is not demoted again (it may still be revoked).
        await ExpectProblemAsync(await scorer.PostAsJsonAsync(Changes(w, branch),
            new { kind = "demote", toLevel = "qualified", reasonCategory = "other", description = "再降一级" }), 409);
    }

    [Fact]
    public async Task A_refusal_ends_the_change_and_leaves_the_title_as_it_was()
    {
        World w = await WorldAsync(fx);
        string branch = w.County.Branches[3]; // advanced
        HttpClient scorer = w.Driver.As(Roles.CountyScorer, w.County.Id);
        string changeId = await ProposeAsync(scorer, w, branch, new
        {
            kind = "demote", toLevel = "qualified", reasonCategory = "negative-list", description = "群众反映服务不到位。",
        });
        await CampaignDriver.Expect(await w.CountyOrg.PostAsJsonAsync($"{Changes(w, branch)}/{changeId}/decision",
            new { approve = false, comment = "证据不足，不予批准。" }), HttpStatusCode.Accepted);
        JsonElement change = await WaitForStatusAsync(w, branch, changeId, "refused");
        Assert.False(change.GetProperty("decision").GetProperty("approve").GetBoolean());
        await ExpectProblemAsync(await w.CountyOrg.PostAsJsonAsync($"{Changes(w, branch)}/{changeId}/decision",
            new { approve = true, comment = "改为同意" }), 409);

        TableEntity honour = (await fx.Table("Honours").GetEntityAsync<TableEntity>(w.Campaign, branch)).Value;
        Assert.Equal(HonourStatus.Active, honour.GetString("Status"));
        Assert.Null(honour.GetString("ChangeId"));
        // The refusal freed the honour for another proposal.
        await ProposeAsync(scorer, w, branch,
            new { kind = "revoke", reasonCategory = "veto", description = "发生一票否决事项。" });
    }

    [Fact]
    public async Task An_overdue_decision_is_escalated_to_the_organization_department_of_the_campaigns_unit()
    {
        World w = await WorldAsync(fx);
        string branch = w.County.Branches[4]; // advanced
        string changeId = await ProposeAsync(w.Driver.As(Roles.CountyScorer, w.County.Id), w, branch, new
        {
            kind = "revoke", reasonCategory = "veto", description = "发生影响民族团结的事件。",
        });

        JsonElement change = await WaitForStatusAsync(w, branch, changeId, "overdue", seconds: (int)DecisionWithin.TotalSeconds + 60);
        Assert.True(change.GetProperty("escalated").GetBoolean());
        Assert.True(change.GetProperty("overdueAt").GetDateTimeOffset() >= change.GetProperty("decisionDue").GetDateTimeOffset());
        // The missed decision is told to the county's organization department, and to the city's, which decides now.
        List<Notification> told = await Poll.UntilAsync(async () =>
        {
            var overdue = new List<Notification>();
            await foreach (TableEntity e in fx.Table(EvalTables.Notifications).QueryAsync<TableEntity>(
                TableClient.CreateQueryFilter($"PartitionKey eq {w.Campaign} and Type eq {NotificationTypes.Overdue}")))
                if (Json.Read<Notification>(e.GetString("Record")) is { } n && n.Subject.EndsWith(changeId, StringComparison.Ordinal))
                    overdue.Add(n);
            return overdue.Count == 2 ? overdue : null;
        }, TimeSpan.FromSeconds(20), "the missed decision to be told", () => fx.Host.Output);
        Assert.Equal([("chifeng", Roles.OrgDepartment), (w.County.Id, Roles.OrgDepartment)],
            told.Select(n => (n.Unit, n.Role)).OrderBy(r => r.Unit, StringComparer.Ordinal));
        Assert.All(told, n => Assert.StartsWith("【逾期】", n.Text));
        await ExpectProblemAsync(await w.CountyOrg.PostAsJsonAsync($"{Changes(w, branch)}/{changeId}/decision",
            new { approve = true, comment = "同意" }), 403);
        await CampaignDriver.Expect(await w.CityOrg.PostAsJsonAsync($"{Changes(w, branch)}/{changeId}/decision",
            new { approve = true, comment = "市委组织部同意撤销。" }), HttpStatusCode.Accepted);
        change = await WaitForStatusAsync(w, branch, changeId, "applied");
        Assert.Equal("chifeng", change.GetProperty("decision").GetProperty("by").GetProperty("id").GetString()!.Split('@')[1]);
        Assert.Contains(await ChangeLinksAsync(w, changeId),
            l => l.Contains(HonourChangeActions.Overdue, StringComparison.Ordinal) && l.Contains(changeId));
    }

    [Fact]
    public async Task An_upheld_objection_withdraws_the_change()
    {
        World w = await WorldAsync(fx);
        string branch = w.County.Branches[5]; // advanced
        string changeId = await ProposeAsync(w.Driver.As(Roles.CountyScorer, w.County.Id), w, branch, new
        {
            kind = "revoke", reasonCategory = "negative-list", description = "违反负面清单第3项。",
        });
        await CampaignDriver.Expect(await w.CountyOrg.PostAsJsonAsync($"{Changes(w, branch)}/{changeId}/decision",
            new { approve = true, notice = true, comment = "公示" }), HttpStatusCode.Accepted);
        await WaitForStatusAsync(w, branch, changeId, "notice");
        using HttpResponseMessage objected = await w.Driver.As(Roles.BranchSecretary, branch)
            .PostAsJsonAsync($"{Changes(w, branch)}/{changeId}/objections",
                new { text = "所列事项发生在评定之前，已处理。" });
        await CampaignDriver.Expect(objected, HttpStatusCode.Accepted);
        string objectionId = (await objected.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        // The open objection waits on the county's organization department, due when the notice ends, until it is resolved.
        string only = $"campaign={w.Campaign}&kind={InboxKinds.HonourChangeObjection}";
        JsonElement item = Assert.Single(await InboxAsync(w.CountyOrg, only));
        Assert.Equal((objectionId, w.County.Id, branch), (item.GetProperty("id").GetString(), item.GetProperty("unit").GetString(),
            item.GetProperty("branchId").GetString()));
        Assert.Equal($"/{Changes(w, branch)}/{changeId}/objections/{objectionId}/resolution", item.GetProperty("action").GetString());
        JsonElement noticed = await w.CountyOrg.GetFromJsonAsync<JsonElement>($"{Changes(w, branch)}/{changeId}");
        Assert.Equal(noticed.GetProperty("noticeEnds").GetDateTimeOffset(), item.GetProperty("due").GetDateTimeOffset());
        await CampaignDriver.Expect(await w.CountyOrg.PostAsJsonAsync(item.GetProperty("action").GetString()!.TrimStart('/'),
            new { upheld = true, comment = "异议成立。" }), HttpStatusCode.OK);
        Assert.Empty(await InboxAsync(w.CountyOrg, only));

        JsonElement change = await WaitForStatusAsync(w, branch, changeId, "withdrawn");
        Assert.Equal(1, change.GetProperty("upheldObjections").GetInt32());
        JsonElement objection = Assert.Single(change.GetProperty("objectionList").EnumerateArray());
        Assert.Equal("upheld", objection.GetProperty("status").GetString());
        TableEntity honour = (await fx.Table("Honours").GetEntityAsync<TableEntity>(w.Campaign, branch)).Value;
        Assert.Equal(HonourStatus.Active, honour.GetString("Status"));
        Assert.Equal("advanced", honour.GetString("CurrentLevel"));
    }

    [Fact]
    public async Task A_decision_written_into_the_changes_row_by_an_insider_is_not_taken_and_the_real_one_is()
    {
        World w = await WorldAsync(fx);
        string branch = w.County.Branches[7]; // advanced
        string changeId = await ProposeAsync(w.Driver.As(Roles.CountyScorer, w.County.Id), w, branch, new
        {
            kind = "revoke", reasonCategory = "weak-and-lax", description = "被列为软弱涣散党组织。",
        });

        // Someone who can write the table, not the API, approves it in the row; the workflow reads the row again on its own.
        TableClient rows = fx.Table("HonourChanges");
        TableEntity row = (await rows.GetEntityAsync<TableEntity>(w.Campaign, $"{branch}|{changeId}")).Value;
        JsonObject record = JsonNode.Parse(row.GetString("Record"))!.AsObject();
        record["decision"] = JsonSerializer.SerializeToNode(new HonourChangeDecision(true, "同意", false,
            new Actor("forger@" + w.County.Id, "伪造", Roles.OrgDepartment), DateTimeOffset.UtcNow), Json.Options);
        row["Record"] = record.ToJsonString(Json.Options);
        await rows.UpdateEntityAsync(row, row.ETag);

        // It is never applied: the change runs to its deadline undecided, and the title stays active.
        await WaitForStatusAsync(w, branch, changeId, "overdue", seconds: (int)DecisionWithin.TotalSeconds + 60);
        TableEntity honour = (await fx.Table("Honours").GetEntityAsync<TableEntity>(w.Campaign, branch)).Value;
        Assert.Equal(HonourStatus.Active, honour.GetString("Status"));

        // The organization department's own decision is still taken, and refuses it.
        await CampaignDriver.Expect(await w.CityOrg.PostAsJsonAsync($"{Changes(w, branch)}/{changeId}/decision",
            new { approve = false, comment = "未经审批，不予撤销。" }), HttpStatusCode.Accepted);
        JsonElement change = await WaitForStatusAsync(w, branch, changeId, "refused");
        Assert.Equal("chifeng", change.GetProperty("decision").GetProperty("by").GetProperty("id").GetString()!.Split('@')[1]);
        Assert.Equal(HonourStatus.Active,
            (await fx.Table("Honours").GetEntityAsync<TableEntity>(w.Campaign, branch)).Value.GetString("Status"));
    }

    [Fact]
    public async Task Proposals_are_refused_by_role_scope_schema_and_rule()
    {
        World w = await WorldAsync(fx);
        string branch = w.County.Branches[6]; // advanced
        var valid = new { kind = "revoke", reasonCategory = "veto", description = "发生一票否决事项。" };

        // 403: roles that do not propose, and a scorer of another county.
        foreach (HttpClient caller in new[]
                 {
                     w.Driver.As(Roles.BranchSecretary, branch), w.CountyOrg, w.Driver.As(Roles.Member, branch),
                     w.Driver.As(Roles.CountyScorer, "chifeng.elsewhere"),
                 })
            await ExpectProblemAsync(await caller.PostAsJsonAsync(Changes(w, branch), valid), 403);
        HttpClient scorer = w.Driver.As(Roles.CountyScorer, w.County.Id);
        // 404: no such campaign; a branch the campaign gave no honour.
        await ExpectProblemAsync(await scorer.PostAsJsonAsync($"api/campaigns/no-such-campaign/honours/{branch}/changes", valid), 404);
        await ExpectProblemAsync(await scorer.PostAsJsonAsync(Changes(w, w.County.Id + ".t01.b099"), valid), 404);

        // 422 by schema: a demotion without a level, a revocation with one, a reason not in the list, text with a control.
        await ExpectInvalidAsync(scorer, Changes(w, branch),
            new { kind = "demote", reasonCategory = "veto", description = "缺少等次" }, null);
        await ExpectInvalidAsync(scorer, Changes(w, branch),
            new { kind = "revoke", toLevel = "qualified", reasonCategory = "veto", description = "多余的等次" }, null);
        await ExpectInvalidAsync(scorer, Changes(w, branch), new { kind = "revoke", reasonCategory = "late", description = "x" },
            "/reasonCategory");
        await ExpectInvalidAsync(scorer, Changes(w, branch), new { kind = "revoke", reasonCategory = "veto", description = "a\u0007b" },
            "/description");
        // 422 by rule: a level not below the honour's, a reason the campaign does not take, a file never uploaded.
        await ExpectInvalidAsync(scorer, Changes(w, branch),
            new { kind = "demote", toLevel = "strongest", reasonCategory = "veto", description = "升级" }, "/toLevel");
        await ExpectInvalidAsync(scorer, Changes(w, branch), new { kind = "revoke", reasonCategory = "other", description = "其他" },
            "/reasonCategory");
        await ExpectInvalidAsync(scorer, Changes(w, branch),
            new { kind = "revoke", reasonCategory = "veto", description = "附件", evidence = new[] { "ev-" + new string('1', 32) } },
            "/evidence/0");

        string changeId = await ProposeAsync(scorer, w, branch, valid);
        // 409: objections only during a notice; 403: a county org department elsewhere decides nothing; members read nothing.
        await ExpectProblemAsync(await w.Driver.As(Roles.Member, branch, "early").PostAsJsonAsync(
            $"{Changes(w, branch)}/{changeId}/objections", new { text = "太早" }), 409);
        await ExpectProblemAsync(await w.Driver.As(Roles.OrgDepartment, "chifeng.elsewhere").PostAsJsonAsync(
            $"{Changes(w, branch)}/{changeId}/decision", new { approve = true, comment = "同意" }), 403);
        await ExpectProblemAsync(await w.Driver.As(Roles.Member, branch).GetAsync($"{Changes(w, branch)}/{changeId}"), 403);
        await ExpectProblemAsync(await w.Driver.As(Roles.Member, "xian", "outsider").PostAsJsonAsync(
            $"{Changes(w, branch)}/{changeId}/objections", new { text = "外地" }), 403);
        await ExpectInvalidAsync(w.CountyOrg, $"{Changes(w, branch)}/{changeId}/decision", new { approve = "yes", comment = "同意" },
            "/approve");
    }

    // ---- The shared campaign and helpers.

    sealed record World(CampaignDriver Driver, TestCounty County, string Campaign)
    {
        public HttpClient CountyOrg => Driver.As(Roles.OrgDepartment, County.Id);
        public HttpClient CityOrg => Driver.As(Roles.OrgDepartment, "chifeng");
    }

    static readonly PerFixture<World> Worlds = new();

    static Task<World> WorldAsync(LocalHostFixture fx) => Worlds.GetAsync(fx, () => BuildWorldAsync(fx));

    /// <summary>
    /// A city campaign over one county of ten branches, scored alike and published: b001–b003 strongest, the rest advanced.
    /// </summary>
    static async Task<World> BuildWorldAsync(LocalHostFixture fx)
    {
        var driver = new CampaignDriver(fx.Host);
        TestCounty county = await driver.CreateCountyAsync(townships: 1, branchesPerTownship: 10);
        string id = "changes-" + Guid.NewGuid().ToString("N")[..8];
        CampaignDefinition definition = CampaignDriver.Campaign(id, "chifeng") with
        {
            HonourChanges = new HonourChangeRules
            {
                Reasons = [HonourReasons.Veto, HonourReasons.NegativeList, HonourReasons.WeakAndLax],
                DecisionWithin = $"PT{DecisionWithin.TotalSeconds:0}S", NoticeFor = "PT5S",
            },
        };
        await driver.CreateAndStartAsync(definition, "chifeng", county.Branches.Count);
        await driver.ScoreAllAsync(id, county);
        await CampaignDriver.Expect(await driver.As(Roles.OrgDepartment, "chifeng").PostAsJsonAsync($"api/campaigns/{id}/publication",
            new { }), HttpStatusCode.Accepted);
        JsonElement ratings = await driver.RatingsAsync(id, "published", seconds: 120);
        Assert.Equal(3, ratings.GetProperty("ratings").EnumerateArray().Count(r => r.GetProperty("level").GetString() == "strongest"));
        await Poll.UntilAsync(async () =>
        {
            using HttpResponseMessage signed = await fx.Http.GetAsync($"api/campaigns/{id}/ratings.jws");
            return signed.IsSuccessStatusCode ? "signed" : null;
        }, TimeSpan.FromSeconds(60), "the published list signed", () => fx.Host.Output);
        return new World(driver, county, id);
    }

    static string Changes(World w, string branch) => $"api/campaigns/{w.Campaign}/honours/{branch}/changes";

    async Task<JsonElement> ChangeAsync(World w, string branch, string changeId) =>
        await w.CountyOrg.GetFromJsonAsync<JsonElement>($"{Changes(w, branch)}/{changeId}");

    async Task<JsonElement> WaitForStatusAsync(World w, string branch, string changeId, string status, int seconds = 60)
    {
        JsonElement last = default;
        return (JsonElement)await Poll.UntilAsync<object>(async () =>
        {
            last = await ChangeAsync(w, branch, changeId);
            return last.GetProperty("status").GetString() == status ? last : null;
        }, TimeSpan.FromSeconds(seconds), $"change {changeId} to be {status}", () => $"last seen: {last}\n{fx.Host.Output}");
    }

    static async Task<string> ProposeAsync(HttpClient proposer, World w, string branch, object body)
    {
        using HttpResponseMessage r = await proposer.PostAsJsonAsync(Changes(w, branch), body);
        await CampaignDriver.Expect(r, HttpStatusCode.Accepted);
        return (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("changeId").GetString()!;
    }

    /// <summary>Slot, PUT straight to storage, complete: the file's id and SHA-256.</summary>
    static async Task<(string Id, string Sha256)> UploadAsync(World w, HttpClient proposer, string branch)
    {
        using HttpResponseMessage slot = await proposer.PostAsJsonAsync($"api/campaigns/{w.Campaign}/honours/{branch}/change-evidence",
            new { title = "处分决定书", fileName = "处分决定.pdf", contentType = "application/pdf", size = Pdf.Length });
        await CampaignDriver.Expect(slot, HttpStatusCode.Created);
        JsonElement body = await slot.Content.ReadFromJsonAsync<JsonElement>();
        string id = body.GetProperty("evidenceId").GetString()!;
        using var storage = new HttpClient();
        using var put = new HttpRequestMessage(HttpMethod.Put, body.GetProperty("uploadUrl").GetString())
        {
            Content = new ByteArrayContent(Pdf),
        };
        put.Headers.Add("x-ms-blob-type", "BlockBlob");
        put.Content.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        Assert.Equal(HttpStatusCode.Created, (await storage.SendAsync(put)).StatusCode);
        using HttpResponseMessage done =
            await proposer.PostAsync($"api/campaigns/{w.Campaign}/honours/{branch}/change-evidence/{id}/complete", null);
        await CampaignDriver.Expect(done, HttpStatusCode.OK);
        string sha256 = Convert.ToHexStringLower(SHA256.HashData(Pdf));
        Assert.Equal(sha256, (await done.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("sha256").GetString());
        // The organization department reads it back.
        using var noRedirect = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false })
        {
            BaseAddress = w.CountyOrg.BaseAddress,
        };
        noRedirect.DefaultRequestHeaders.Authorization = w.CountyOrg.DefaultRequestHeaders.Authorization;
        using HttpResponseMessage read = await noRedirect.GetAsync($"api/campaigns/{w.Campaign}/honours/{branch}/change-evidence/{id}");
        Assert.Equal(HttpStatusCode.Redirect, read.StatusCode);
        Assert.Equal(Pdf, await storage.GetByteArrayAsync(read.Headers.Location));
        return (id, sha256);
    }

    /// <summary>The newest signed list once it is the one issued for <paramref name="reason"/>, verified; its payload.</summary>
    async Task<JsonElement> SignedListAsync(World w, string reason)
    {
        JsonElement keys = await fx.Http.GetFromJsonAsync<JsonElement>("api/keys");
        List<PublicJwk> jwks = [.. keys.GetProperty("keys").EnumerateArray().Select(k => new PublicJwk(k.GetProperty("kty").GetString()!,
            k.GetProperty("crv").GetString()!, k.GetProperty("x").GetString()!, k.GetProperty("y").GetString()!,
            k.GetProperty("kid").GetString()!))];
        return (JsonElement)await Poll.UntilAsync<object>(async () =>
        {
            using HttpResponseMessage r = await fx.Http.GetAsync($"api/campaigns/{w.Campaign}/ratings.jws");
            if (r.StatusCode != HttpStatusCode.OK) return null;
            string jws = await r.Content.ReadAsStringAsync();
            byte[] payload = CompactJws.Verify(jws, jwks) ?? throw new InvalidOperationException("the signed list does not verify: " + jws);
            JsonElement statement = JsonDocument.Parse(payload).RootElement.Clone();
            return statement.GetProperty("reason").GetString() == reason ? statement : null;
        }, TimeSpan.FromSeconds(60), $"the list signed for {reason}", () => fx.Host.Output);
    }

    /// <summary>
    /// An insider with table access edits the applied change's reason: the proposal's link breaks. Removes the change with
    /// its whole chain: the heads the newest signed list sealed break. Restored, the campaign verifies again.
    /// </summary>
    async Task TamperingWithTheChangeIsDetectedAsync(World w, string branch, string changeId)
    {
        TableClient changes = fx.Table("HonourChanges"), audit = fx.Table("Audit");
        TableEntity row = (await changes.GetEntityAsync<TableEntity>(w.Campaign, $"{branch}|{changeId}")).Value;
        var chain = new List<TableEntity>();
        await foreach (TableEntity link in audit.QueryAsync<TableEntity>(TableClient.CreateQueryFilter(
            $"PartitionKey eq {w.Campaign} and RowKey ge {changeId + "|"} and RowKey lt {changeId + "}"}")))
            chain.Add(link);

        string record = row.GetString("Record");
        Assert.Contains("\"negative-list\"", record, StringComparison.Ordinal);
        await changes.UpdateEntityAsync(new TableEntity(row) { ["Record"] = record.Replace("\"negative-list\"", "\"other\"") },
            Azure.ETag.All, TableUpdateMode.Replace);
        await ExpectBrokenAsync(w, changeId, 0, "differs from what this link (honour-change-proposed) recorded");

        await changes.DeleteEntityAsync(w.Campaign, row.RowKey);
        foreach (TableEntity link in chain) await audit.DeleteEntityAsync(w.Campaign, link.RowKey);
        await ExpectBrokenAsync(w, "statement", null, "heads differ from those the signed list sealed");

        await changes.UpsertEntityAsync(row, TableUpdateMode.Replace);
        foreach (TableEntity link in chain) await audit.UpsertEntityAsync(link, TableUpdateMode.Replace);
        JsonElement restored = await w.CityOrg.GetFromJsonAsync<JsonElement>($"api/campaigns/{w.Campaign}/audit/verify");
        Assert.True(restored.GetProperty("intact").GetBoolean(), restored.ToString());
    }

    static async Task ExpectBrokenAsync(World w, string chain, int? seq, string problem)
    {
        JsonElement result = await w.CityOrg.GetFromJsonAsync<JsonElement>($"api/campaigns/{w.Campaign}/audit/verify");
        Assert.False(result.GetProperty("intact").GetBoolean(), result.ToString());
        JsonElement at = result.GetProperty("firstBroken");
        Assert.Equal(chain, at.GetProperty("chain").GetString());
        if (seq is not null) Assert.Equal(seq, at.GetProperty("seq").GetInt32());
        Assert.Contains(problem, at.GetProperty("problem").GetString(), StringComparison.Ordinal);
    }

    /// <summary>Every link of the change's own chain, in order, as stored (canonical JSON).</summary>
    async Task<List<string>> ChangeLinksAsync(World w, string changeId)
    {
        var links = new List<string>();
        string filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {w.Campaign} and RowKey ge {changeId + "|"} and RowKey lt {changeId + "}"}");
        await foreach (TableEntity e in fx.Table("Audit").QueryAsync<TableEntity>(filter))
            links.Add(e.GetString("Entry"));
        return links;
    }

    static async Task<HttpResponseMessage> SendKeyedAsync(HttpClient client, string path, string body, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Idempotency-Key", key);
        return await client.SendAsync(request);
    }

    /// <summary>422 with an error at <paramref name="pointer"/> (any, when null).</summary>
    static async Task ExpectInvalidAsync(HttpClient caller, string path, object body, string? pointer)
    {
        JsonElement problem = await ExpectProblemAsync(await caller.PostAsJsonAsync(path, body), 422);
        Assert.Contains(problem.GetProperty("errors").EnumerateArray(),
            e => pointer is null || e.GetProperty("pointer").GetString() == pointer);
    }

    static async Task<JsonElement> ExpectProblemAsync(HttpResponseMessage response, int status)
    {
        string text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status,
            $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}, " +
            $"expected {status}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        response.Dispose();
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    static async Task<JsonElement[]> InboxAsync(HttpClient client, string query)
    {
        using HttpResponseMessage r = await client.GetAsync($"api/inbox?{query}");
        string body = await r.Content.ReadAsStringAsync();
        Assert.True(r.StatusCode == HttpStatusCode.OK, $"GET api/inbox?{query} answered {(int)r.StatusCode}: {body}");
        return [.. JsonDocument.Parse(body).RootElement.GetProperty("items").EnumerateArray().Select(i => i.Clone())];
    }
}
