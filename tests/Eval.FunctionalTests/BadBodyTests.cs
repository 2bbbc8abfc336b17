using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Eval.FunctionalTests.Infrastructure;
using Eval.LocalHost.Cli;
using Eval.Workflows.Domain;

namespace Eval.FunctionalTests;

/// <summary>
/// Every endpoint that takes a body, sent bodies that are wrong in every way we could think of, each by a caller
/// who is allowed to call it, so that the body is what fails: a problem+json with the right status and, for 422, an
/// error at the right JSON pointer. Afterwards nothing has changed.
///
/// A case is (what, at, value, status, pointer): <c>value</c> replaces the valid body's member at the JSON pointer
/// <c>at</c> ("" = the whole body), as raw JSON text, or is one of these markers:
///   REMOVE          remove the member at <c>at</c>
///   STRING*n        a string of n letters at <c>at</c>
///   REPEAT*n        the array at <c>at</c> made n copies of its first item
///   DEEP*n          the whole body is n nested arrays
///   LATIN1          a string at <c>at</c> holding the byte 0xE9 (é in Latin-1, not valid UTF-8)
///   VALID           the valid body as it is (a control: it must pass the body checks and fail on state)
///   EMPTY           no bytes, as application/json;  NO-BODY  no content at all
///   AS-TEXT         the valid body as text/plain;  NO-TYPE  the valid body without a Content-Type
///   HUGE            the valid body padded to 256 KiB + 1 byte, with Content-Length;  HUGE-CHUNKED  the same, chunked
/// </summary>
public sealed class BadBodyTests(LocalHostFixture fx) : IClassFixture<LocalHostFixture>
{
    const int MaxBodyBytes = 256 * 1024;

    /// <summary>
    /// The endpoint's own cases, then the cases every endpoint that reads its body with RequestJson shares: transport
    /// (media type, empty, size, encoding), malformed JSON (422 at the root, ""), a body that is no object, and an
    /// unknown property. <paramref name="latin1At"/> is a string member for the not-UTF-8 case.
    /// </summary>
    static TheoryData<string, string, string, int, string?> Cases(string latin1At, int whenEmpty,
        TheoryData<string, string, string, int, string?> d)
    {
        d.Add("text/plain", "", "AS-TEXT", 415, null);
        d.Add("no Content-Type", "", "NO-TYPE", 415, null);
        d.Add("empty body", "", "EMPTY", whenEmpty, null);
        d.Add("256 KiB + 1 byte, Content-Length", "", "HUGE", 413, null);
        d.Add("256 KiB + 1 byte, chunked", "", "HUGE-CHUNKED", 413, null);
        d.Add("not UTF-8", latin1At, "LATIN1", 400, null);
        d.Add("malformed: truncated", "", """{"a":""", 422, "");
        d.Add("malformed: trailing comma", "", """{"a":1,}""", 422, "");
        d.Add("malformed: single quotes", "", """{'a':1}""", 422, "");
        d.Add("malformed: comment", "", """{/* c */}""", 422, "");
        d.Add("malformed: trailing content", "", """{} {}""", 422, "");
        d.Add("malformed: duplicate property", "", """{"a":1,"a":2}""", 422, "");
        d.Add("malformed: nested 100 deep", "", "DEEP*100", 422, "");
        d.Add("not an object: array", "", "[]", 422, "");
        d.Add("not an object: string", "", "\"text\"", 422, "");
        d.Add("not an object: null", "", "null", 422, "");
        d.Add("unknown property", "/unexpected", "true", 422, "/unexpected");
        return d;
    }

    /// <summary>
    /// The text rule's cases for free-text members: unclean text is 422 at the member, and so is a line break or a tab
    /// in a single-line one. In a multi-line member they pass the body checks and get <paramref name="whenLinesPass"/>,
    /// the valid body's answer; null leaves that case out, where passing would change something.
    /// </summary>
    static TheoryData<string, string, string, int, string?> Text(
        TheoryData<string, string, string, int, string?> d, string[] members, bool multiLine = false, int? whenLinesPass = null)
    {
        foreach (string at in members)
        {
            foreach (var (name, json) in UncleanText.Anywhere) d.Add($"{at}: {name}", at, json, 422, at);
            foreach (var (name, json) in UncleanText.LineBreaks)
            {
                if (!multiLine) d.Add($"{at}: {name} in a single-line member", at, json, 422, at);
                else if (whenLinesPass is { } status) d.Add($"{at}: {name} in a multi-line member", at, json, status, null);
            }
        }
        return d;
    }

    // ---- PUT /api/units, as the city's organization department. The valid body is a branch under a township that
    // does not exist, so even it fails (422, /units/0/id) and no case can write a unit.

    public static TheoryData<string, string, string, int, string?> UnitsCases => Text(Cases("/units/0/name", 400, new()
    {
        { "control: parent does not exist", "", "VALID", 422, "/units/0/id" },
        { "units missing", "/units", "REMOVE", 422, "/units" },
        { "units not an array", "/units", "{}", 422, "/units" },
        { "no units", "/units", "[]", 422, "/units" },
        { "501 units", "/units", "REPEAT*501", 422, "/units" },
        { "unit not an object", "/units/0", "\"x\"", 422, "/units/0" },
        { "id a number", "/units/0/id", "5", 422, "/units/0/id" },
        { "id upper case", "/units/0/id", "\"Chifeng.X\"", 422, "/units/0/id" },
        { "id five levels deep", "/units/0/id", "\"chifeng.a.b.c.d\"", 422, "/units/0/id" },
        { "id segment of 41 characters", "/units/0/id", "\"chifeng.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"", 422, "/units/0/id" },
        { "id missing", "/units/0/id", "REMOVE", 422, "/units/0/id" },
        { "name missing", "/units/0/name", "REMOVE", 422, "/units/0/name" },
        { "name empty", "/units/0/name", "\"\"", 422, "/units/0/name" },
        { "name of 101 characters", "/units/0/name", "STRING*101", 422, "/units/0/name" },
        { "kind unknown", "/units/0/kind", "\"village\"", 422, "/units/0/kind" },
        { "kind against the depth", "/units/0/kind", "\"township\"", 422, "/units/0/kind" },
        { "unknown property in a unit", "/units/0/population", "100", 422, "/units/0/population" },
        { "category unknown", "/units/0/category", "\"farm\"", 422, "/units/0/category" },
        { "the same id twice", "/units", "REPEAT*2", 422, "/units/1/id" },
    }), ["/units/0/name"]);

    [Theory]
    [MemberData(nameof(UnitsCases))]
    public async Task Put_units(string what, string at, string value, int status, string? pointer)
    {
        World w = await WorldAsync(fx);
        await SendAndCheckAsync(w, Targets["PUT units"], what, at, value, status, pointer);
        using HttpResponseMessage unit = await Client(w, Roles.OrgDepartment, "chifeng").GetAsync($"api/units/{w.County.Id}.zz.b001");
        Assert.Equal(HttpStatusCode.NotFound, unit.StatusCode);
    }

    // ---- POST /api/campaigns, as the city's organization department. The valid body is the running campaign's own
    // definition, so a case that passed every check would still only get 409.

    public static TheoryData<string, string, string, int, string?> CampaignCases => Text(Cases("/title", 400, new()
    {
        { "control: the id exists", "", "VALID", 409, null },
        { "id missing", "/id", "REMOVE", 422, "/id" },
        { "id a number", "/id", "2026", 422, "/id" },
        { "id with capitals and spaces", "/id", "\"Hongshan 2026\"", 422, "/id" },
        { "id of 64 characters", "/id", "STRING*64", 422, "/id" },
        { "title empty", "/title", "\"\"", 422, "/title" },
        { "title of 201 characters", "/title", "STRING*201", 422, "/title" },
        { "unit not a unit id", "/unit", "\"Chifeng\"", 422, "/unit" },
        { "unit a township", "/unit", "\"chifeng.x.t01\"", 422, "/unit" },
        { "unit does not exist", "/unit", "\"chifeng.no-such-county\"", 422, "/unit" },
        { "rubric missing", "/rubric", "REMOVE", 422, "/rubric" },
        { "no criteria", "/rubric/criteria", "[]", 422, "/rubric/criteria" },
        { "31 criteria", "/rubric/criteria", "REPEAT*31", 422, "/rubric/criteria" },
        { "maxPoints zero", "/rubric/criteria/0/maxPoints", "0", 422, "/rubric/criteria/0/maxPoints" },
        { "maxPoints a string", "/rubric/criteria/0/maxPoints", "\"25\"", 422, "/rubric/criteria/0/maxPoints" },
        { "maxPoints 1e400", "/rubric/criteria/0/maxPoints", "1e400", 422, "/rubric/criteria/0/maxPoints" },
        { "maxPoints 1001", "/rubric/criteria/0/maxPoints", "1001", 422, "/rubric/criteria/0/maxPoints" },
        { "criterion id twice", "/rubric/criteria/1/id", "\"political\"", 422, "/rubric/criteria/1/id" },
        { "no unity criterion", "/rubric/sections/3/unity", "false", 422, "/rubric/criteria" },
        { "unity not a boolean", "/rubric/criteria/3/unity", "\"yes\"", 422, "/rubric/criteria/3/unity" },
        { "unknown property in a criterion", "/rubric/criteria/0/weight", "2", 422, "/rubric/criteria/0/weight" },
        { "unityWeight 11", "/rubric/unityWeight", "11", 422, "/rubric/unityWeight" },
        { "unityWeight 0.5", "/rubric/unityWeight", "0.5", 422, "/rubric/unityWeight" },
        { "unityMinShare 1.5", "/rubric/unityMinShare", "1.5", 422, "/rubric/unityMinShare" },
        { "unityMinShare missing", "/rubric/unityMinShare", "REMOVE", 422, "/rubric/unityMinShare" },
        { "unityMinShare 1.0000000000000001", "/rubric/unityMinShare", "1.0000000000000001", 422, "/rubric/unityMinShare" },
        { "minScore 100.00000000000001", "/levels/0/minScore", "100.00000000000001", 422, "/levels/0/minScore" },
        { "21 veto items", "/rubric/vetoItems", "REPEAT*21", 422, "/rubric/vetoItems" },
        { "unknown property in the rubric", "/rubric/bonus", "1", 422, "/rubric/bonus" },
        { "no levels", "/levels", "[]", 422, "/levels" },
        { "11 levels", "/levels", "REPEAT*11", 422, "/levels" },
        { "level id reserved", "/levels/0/id", "\"none\"", 422, "/levels/0/id" },
        { "levels not descending", "/levels/1/minScore", "95", 422, "/levels/1/minScore" },
        { "minScore 100.5", "/levels/0/minScore", "100.5", 422, "/levels/0/minScore" },
        { "quota zero", "/levels/0/quota", "0", 422, "/levels/0/quota" },
        { "quota 1.5", "/levels/0/quota", "1.5", 422, "/levels/0/quota" },
        { "schedule missing", "/schedule", "REMOVE", 422, "/schedule" },
        { "duration not ISO-8601", "/schedule/publicity", "\"two weeks\"", 422, "/schedule/publicity" },
        { "duration zero", "/schedule/publicity", "\"PT0S\"", 422, "/schedule/publicity" },
        { "duration in months", "/schedule/publicity", "\"P1M\"", 422, "/schedule/publicity" },
        { "duration of 41 characters", "/schedule/selfAssessment", "STRING*41", 422, "/schedule/selfAssessment" },
        { "duration missing", "/schedule/countyScoring", "REMOVE", 422, "/schedule/countyScoring" },
        { "scorersPerBranch 0", "/scorersPerBranch", "0", 422, "/scorersPerBranch" },
        { "scorersPerBranch 1.5", "/scorersPerBranch", "1.5", 422, "/scorersPerBranch" },
        { "scorersPerBranch 11", "/scorersPerBranch", "11", 422, "/scorersPerBranch" },
        { "maxReturns -1", "/maxReturns", "-1", 422, "/maxReturns" },
        { "maxReturns 1e400", "/maxReturns", "1e400", 422, "/maxReturns" },
        { "maxReturns beyond 64 bits", "/maxReturns", "100000000000000000000000", 422, "/maxReturns" },
    }), ["/title", "/rubric/criteria/0/title", "/rubric/vetoItems/0/title", "/levels/0/title"]);

    [Theory]
    [MemberData(nameof(CampaignCases))]
    public async Task Post_campaigns(string what, string at, string value, int status, string? pointer) =>
        await SendAndCheckAsync(await WorldAsync(fx), Targets["POST campaigns"], what, at, value, status, pointer);

    // ---- The three evaluation steps, on a branch awaiting its self-assessment. Bodies are checked before the stage,
    // so the secretary's cases fail on the body, and a valid review or score (the controls) fails on the stage (409).

    public static TheoryData<string, string, string, int, string?> SelfAssessmentCases => Text(Text(Cases("/summary", 400, new()
    {
        { "scores missing", "/scores", "REMOVE", 422, "/scores" },
        { "scores an array", "/scores", "[]", 422, "/scores" },
        { "a criterion missing", "/scores/unity", "REMOVE", 422, "/scores/unity" },
        { "an unknown criterion", "/scores/bonus", "5", 422, "/scores/bonus" },
        { "score a string", "/scores/political", "\"20\"", 422, "/scores/political" },
        { "score null", "/scores/political", "null", 422, "/scores/political" },
        { "score a boolean", "/scores/political", "true", 422, "/scores/political" },
        { "score 25.5 > 25", "/scores/political", "25.5", 422, "/scores/political" },
        { "score 23.3 not in half points", "/scores/political", "23.3", 422, "/scores/political" },
        { "score 0.25 not in half points", "/scores/service", "0.25", 422, "/scores/service" },
        { "score negative", "/scores/political", "-0.5", 422, "/scores/political" },
        { "score 1e400", "/scores/political", "1e400", 422, "/scores/political" },
        { "score -1e400", "/scores/political", "-1e400", 422, "/scores/political" },
        { "score beyond 64 bits", "/scores/political", "100000000000000000000000", 422, "/scores/political" },
        { "score NaN", "/scores/political", "NaN", 422, "" },
        { "summary missing", "/summary", "REMOVE", 422, "/summary" },
        { "summary a number", "/summary", "5", 422, "/summary" },
        { "summary empty", "/summary", "\"\"", 422, "/summary" },
        { "summary of 5001 characters", "/summary", "STRING*5001", 422, "/summary" },
        { "evidence an object", "/evidence", "{}", 422, "/evidence" },
        { "51 evidence items", "/evidence", "REPEAT*51", 422, "/evidence" },
        { "evidence item a string", "/evidence/0", "\"photo\"", 422, "/evidence/0" },
        { "evidence for an unknown criterion", "/evidence/0/criterion", "\"bonus\"", 422, "/evidence/0/criterion" },
        { "evidence title of 201 characters", "/evidence/0/title", "STRING*201", 422, "/evidence/0/title" },
        { "evidence url not http", "/evidence/0/url", "\"ftp://example.org/e\"", 422, "/evidence/0/url" },
        { "evidence url with a space", "/evidence/0/url", "\"https://example.org/a b\"", 422, "/evidence/0/url" },
        { "evidence url of 2001 characters", "/evidence/0/url", "STRING*2001", 422, "/evidence/0/url" },
        { "evidence url missing (neither a link nor a file)", "/evidence/0/url", "REMOVE", 422, "/evidence/0" },
        { "evidence id not an id", "/evidence/0/evidenceId", "\"ev-1\"", 422, "/evidence/0/evidenceId" },
        { "unknown property in evidence", "/evidence/0/size", "1", 422, "/evidence/0/size" },
    }), ["/evidence/0/title"]), ["/summary"], multiLine: true);

    [Theory]
    [MemberData(nameof(SelfAssessmentCases))]
    public async Task Post_self_assessment(string what, string at, string value, int status, string? pointer)
    {
        World w = await WorldAsync(fx);
        await SendAndCheckAsync(w, Targets["POST self-assessment"], what, at, value, status, pointer);
        await AssertEvaluationUnchangedAsync(w);
    }

    public static TheoryData<string, string, string, int, string?> TownshipReviewCases => Text(Cases("/comment", 400, new()
    {
        { "control: a valid approval at the wrong stage", "", "VALID", 409, null },
        { "control: a valid return at the wrong stage", "", """{"decision":"return","comment":"请补充材料"}""", 409, null },
        { "decision missing", "/decision", "REMOVE", 422, "/decision" },
        { "decision a number", "/decision", "1", 422, "/decision" },
        { "decision unknown", "/decision", "\"approved\"", 422, "/decision" },
        { "decision upper case", "/decision", "\"APPROVE\"", 422, "/decision" },
        { "comment a number", "/comment", "5", 422, "/comment" },
        { "comment of 2001 characters", "/comment", "STRING*2001", 422, "/comment" },
        { "return without a comment", "", """{"decision":"return"}""", 422, "/comment" },
        { "return with a null comment", "", """{"decision":"return","comment":null}""", 422, "/comment" },
        { "reject with a blank comment", "", """{"decision":"reject","comment":"  \t "}""", 422, "/comment" },
        { "control: a return whose comment has several lines, at the wrong stage", "",
            """{"decision":"return","comment":"一、材料不全\n二、请补充"}""", 409, null },
    }), ["/comment"], multiLine: true, whenLinesPass: 409);

    [Theory]
    [MemberData(nameof(TownshipReviewCases))]
    public async Task Post_township_review(string what, string at, string value, int status, string? pointer)
    {
        World w = await WorldAsync(fx);
        await SendAndCheckAsync(w, Targets["POST township-review"], what, at, value, status, pointer);
        await AssertEvaluationUnchangedAsync(w);
    }

    public static TheoryData<string, string, string, int, string?> CountyScoreCases => Text(Cases("/comment", 400, new()
    {
        { "control: a valid score at the wrong stage", "", "VALID", 409, null },
        { "scores missing", "/scores", "REMOVE", 422, "/scores" },
        { "a criterion missing", "/scores/unity", "REMOVE", 422, "/scores/unity" },
        { "an unknown criterion", "/scores/bonus", "1", 422, "/scores/bonus" },
        { "score 25.5 > 25", "/scores/unity", "25.5", 422, "/scores/unity" },
        { "score 23.3 not in half points", "/scores/unity", "23.3", 422, "/scores/unity" },
        { "score negative", "/scores/unity", "-1", 422, "/scores/unity" },
        { "score 1e400", "/scores/unity", "1e400", 422, "/scores/unity" },
        { "score a string", "/scores/unity", "\"25\"", 422, "/scores/unity" },
        { "score 25.0000000000000001 > 25", "/scores/unity", "25.0000000000000001", 422, "/scores/unity" },
        { "score 24.999999999999999999 not in half points", "/scores/unity", "24.999999999999999999", 422, "/scores/unity" },
        { "veto not a veto item", "/veto", "\"bribery\"", 422, "/veto" },
        { "veto a number", "/veto", "1", 422, "/veto" },
        { "veto an array", "/veto", "[\"ethnic-incident\"]", 422, "/veto" },
        { "comment a number", "/comment", "5", 422, "/comment" },
        { "comment of 2001 characters", "/comment", "STRING*2001", 422, "/comment" },
    }), ["/comment"], multiLine: true, whenLinesPass: 409);

    [Theory]
    [MemberData(nameof(CountyScoreCases))]
    public async Task Post_county_score(string what, string at, string value, int status, string? pointer)
    {
        World w = await WorldAsync(fx);
        await SendAndCheckAsync(w, Targets["POST county-score"], what, at, value, status, pointer);
        await AssertEvaluationUnchangedAsync(w);
    }

    /// <summary>Events are raised asynchronously: replay every evaluation case, give the orchestration time, look again.</summary>
    [Fact]
    public async Task After_all_bad_evaluation_bodies_the_evaluation_is_as_it_was()
    {
        World w = await WorldAsync(fx);
        foreach (var (target, cases) in new[]
                 {
                     (Targets["POST self-assessment"], SelfAssessmentCases),
                     (Targets["POST township-review"], TownshipReviewCases),
                     (Targets["POST county-score"], CountyScoreCases),
                 })
        {
            foreach (object?[] c in cases)
                await SendAndCheckAsync(w, target, (string)c[0]!, (string)c[1]!, (string)c[2]!, (int)c[3]!, (string?)c[4]);
        }
        await Task.Delay(TimeSpan.FromSeconds(3));
        await AssertEvaluationUnchangedAsync(w);
        JsonElement campaign = await Client(w, Roles.OrgDepartment, w.County.Id)
            .GetFromJsonAsync<JsonElement>($"api/campaigns/{w.Campaign}");
        Assert.Equal(w.County.Branches.Count,
            campaign.GetProperty("evaluations").GetProperty("stages").GetProperty("awaiting-self-assessment").GetInt32());
    }

    // ---- POST …/publication, on a campaign in its public notice (valid bodies get 409 there, so no case can publish).
    // The body is optional: an empty one is {} and reaches the state check.

    public static TheoryData<string, string, string, int, string?> PublicationCases => Cases("/note", 409, new()
    {
        { "control: force false at the wrong time", "", "VALID", 409, null },
        { "control: force true at the wrong time", "/force", "true", 409, null },
        { "control: no content at all", "", "NO-BODY", 409, null },
        { "force a string", "/force", "\"yes\"", 422, "/force" },
        { "force a number", "/force", "1", 422, "/force" },
        { "force null", "/force", "null", 422, "/force" },
    });

    [Theory]
    [MemberData(nameof(PublicationCases))]
    public async Task Post_publication(string what, string at, string value, int status, string? pointer) =>
        await SendAndCheckAsync(await WorldAsync(fx), Targets["POST publication"], what, at, value, status, pointer);

    // ---- POST …/objections, by a member, on the running campaign (a valid objection gets 409 there: no notice yet).

    public static TheoryData<string, string, string, int, string?> ObjectionCases => Text(Cases("/text", 400, new()
    {
        { "control: a valid objection outside the notice", "", "VALID", 409, null },
        { "branchId missing", "/branchId", "REMOVE", 422, "/branchId" },
        { "branchId a number", "/branchId", "5", 422, "/branchId" },
        { "branchId not a unit id", "/branchId", "\"Branch 1\"", 422, "/branchId" },
        { "branchId of 201 characters", "/branchId", "STRING*201", 422, "/branchId" },
        { "text missing", "/text", "REMOVE", 422, "/text" },
        { "text empty", "/text", "\"\"", 422, "/text" },
        { "text an array", "/text", "[\"a\"]", 422, "/text" },
        { "text of 2001 characters", "/text", "STRING*2001", 422, "/text" },
    }), ["/text"], multiLine: true, whenLinesPass: 409);

    [Theory]
    [MemberData(nameof(ObjectionCases))]
    public async Task Post_objections(string what, string at, string value, int status, string? pointer) =>
        await SendAndCheckAsync(await WorldAsync(fx), Targets["POST objections"], what, at, value, status, pointer);

    [Fact]
    public async Task An_objection_to_a_branch_not_on_the_proposed_list_is_422_and_not_stored()
    {
        World w = await WorldAsync(fx);
        using HttpResponseMessage r = await Client(w, Roles.Member, w.NoticeCounty.Id).PostAsJsonAsync(
            $"api/campaigns/{w.NoticeCampaign}/objections", new { branchId = w.Branch, text = "不在名单上的支部" });
        await AssertProblemAsync(r, 422, "/branchId", "objection to a branch not on the list");
        Assert.Equal(1, await OpenObjectionsAsync(w));
    }

    // ---- POST …/objections/{oid}/resolution, by the organization department, on a real open objection.

    public static TheoryData<string, string, string, int, string?> ResolutionCases => Text(Cases("/comment", 400, new()
    {
        { "upheld missing", "/upheld", "REMOVE", 422, "/upheld" },
        { "upheld a string", "/upheld", "\"no\"", 422, "/upheld" },
        { "upheld null", "/upheld", "null", 422, "/upheld" },
        { "comment missing", "/comment", "REMOVE", 422, "/comment" },
        { "comment empty", "/comment", "\"\"", 422, "/comment" },
        { "comment a number", "/comment", "5", 422, "/comment" },
        { "comment of 2001 characters", "/comment", "STRING*2001", 422, "/comment" },
    }), ["/comment"], multiLine: true);

    [Theory]
    [MemberData(nameof(ResolutionCases))]
    public async Task Post_objection_resolution(string what, string at, string value, int status, string? pointer)
    {
        World w = await WorldAsync(fx);
        await SendAndCheckAsync(w, Targets["POST objection resolution"], what, at, value, status, pointer);
        TableEntity objection = (await fx.Table("Objections").GetEntityAsync<TableEntity>(w.NoticeCampaign, w.Objection)).Value;
        Assert.Equal("open", objection.GetString("Status"));
    }

    // ---- POST …/objection-resolutions, by the organization department, naming the real open objection.

    public static TheoryData<string, string, string, int, string?> ResolutionsCases => Text(Cases("/comment", 400, new()
    {
        { "objectionIds missing", "/objectionIds", "REMOVE", 422, "/objectionIds" },
        { "objectionIds empty", "/objectionIds", "[]", 422, "/objectionIds" },
        { "objectionIds not an array", "/objectionIds", "\"obj-1\"", 422, "/objectionIds" },
        { "an id twice", "/objectionIds", "REPEAT*2", 422, "/objectionIds" },
        { "101 ids", "/objectionIds", "REPEAT*101", 422, "/objectionIds" },
        { "an id of another shape", "/objectionIds/0", "\"obj-XYZ\"", 422, "/objectionIds/0" },
        { "an id that does not exist", "/objectionIds/0", "\"obj-ffffffffffffffffffffffffffffffff\"", 422, "/objectionIds/0" },
        { "upheld missing", "/upheld", "REMOVE", 422, "/upheld" },
        { "upheld a string", "/upheld", "\"no\"", 422, "/upheld" },
        { "comment missing", "/comment", "REMOVE", 422, "/comment" },
        { "comment empty", "/comment", "\"\"", 422, "/comment" },
        { "comment of 2001 characters", "/comment", "STRING*2001", 422, "/comment" },
    }), ["/comment"], multiLine: true);

    [Theory]
    [MemberData(nameof(ResolutionsCases))]
    public async Task Post_objection_resolutions(string what, string at, string value, int status, string? pointer)
    {
        World w = await WorldAsync(fx);
        await SendAndCheckAsync(w, Targets["POST objection resolutions"], what, at, value, status, pointer);
        Assert.Equal(1, await OpenObjectionsAsync(w));
    }

    // ---- POST /api/selftests and …/confirmation read their bodies with JsonBody (no schema): type and range errors
    // are 422 at the member, malformed JSON 422 at the member where the parser stopped.

    public static TheoryData<string, string, string, int, string?> SelfTestCases => new()
    {
        { "text/plain", "", "AS-TEXT", 415, null },
        { "no Content-Type", "", "NO-TYPE", 415, null },
        { "empty body", "", "EMPTY", 400, null },
        { "256 KiB + 1 byte, Content-Length", "", "HUGE", 413, null },
        { "256 KiB + 1 byte, chunked", "", "HUGE-CHUNKED", 413, null },
        { "not UTF-8", "/requestedBy", "LATIN1", 400, null },
        { "malformed: not JSON", "", "nope", 422, "" },
        { "not an object: array", "", "[]", 422, "" },
        { "nested 100 deep", "", "DEEP*100", 422, "" },
        { "malformed: truncated", "", """{"deadlineSeconds":""", 422, "/deadlineSeconds" },
        { "deadlineSeconds missing", "/deadlineSeconds", "REMOVE", 422, "/deadlineSeconds" },
        { "deadlineSeconds a string", "/deadlineSeconds", "\"soon\"", 422, "/deadlineSeconds" },
        { "deadlineSeconds 2.5", "/deadlineSeconds", "2.5", 422, "/deadlineSeconds" },
        { "deadlineSeconds 0", "/deadlineSeconds", "0", 422, "/deadlineSeconds" },
        { "deadlineSeconds -1", "/deadlineSeconds", "-1", 422, "/deadlineSeconds" },
        { "deadlineSeconds a week and a second", "/deadlineSeconds", "604801", 422, "/deadlineSeconds" },
        { "deadlineSeconds 1e400", "/deadlineSeconds", "1e400", 422, "/deadlineSeconds" },
        { "requestedBy a number", "/requestedBy", "5", 422, "/requestedBy" },
        { "requestedBy with a right-to-left override", "/requestedBy", "\"ops\u202Enimda\"", 422, "/requestedBy" },
        { "requestedBy with a line break", "/requestedBy", "\"ops\\nadmin\"", 422, "/requestedBy" },
        { "unknown property", "/unexpected", "1", 422, "/unexpected" },
    };

    [Theory]
    [MemberData(nameof(SelfTestCases))]
    public async Task Post_selftests(string what, string at, string value, int status, string? pointer) =>
        await SendAndCheckAsync(await WorldAsync(fx), Targets["POST selftests"], what, at, value, status, pointer);

    public static TheoryData<string, string, string, int, string?> SelfTestConfirmationCases => new()
    {
        { "control: {} for a self-test that does not exist", "", "VALID", 404, null },
        { "control: empty body (optional) for a self-test that does not exist", "", "EMPTY", 404, null },
        { "text/plain", "", "AS-TEXT", 415, null },
        { "confirmedBy a number", "/confirmedBy", "5", 422, "/confirmedBy" },
        { "confirmedBy with NUL", "/confirmedBy", "\"a\\u0000\"", 422, "/confirmedBy" },
        { "unknown property", "/unexpected", "1", 422, "/unexpected" },
        { "malformed: truncated", "", """{"confirmedBy":""", 422, "/confirmedBy" },
    };

    [Theory]
    [MemberData(nameof(SelfTestConfirmationCases))]
    public async Task Post_selftest_confirmation(string what, string at, string value, int status, string? pointer) =>
        await SendAndCheckAsync(await WorldAsync(fx), Targets["POST selftest confirmation"], what, at, value, status, pointer);

    // ---- Targets: the request, the caller allowed to make it, and the valid body the cases start from.

    sealed record Target(HttpMethod Method, Func<World, string> Path, string Role, Func<World, string> Unit, Func<World, JsonNode> Valid);

    static readonly Dictionary<string, Target> Targets = new()
    {
        ["PUT units"] = new(HttpMethod.Put, w => "api/units", Roles.OrgDepartment, w => "chifeng",
            w => Node(new
            {
                units = new[] { new { id = w.County.Id + ".zz.b001", name = "不存在苏木的党支部", kind = "branch" } },
            })),
        ["POST campaigns"] = new(HttpMethod.Post, w => "api/campaigns", Roles.OrgDepartment, w => "chifeng",
            w => w.Definition.RequestBody()),
        ["POST self-assessment"] = new(HttpMethod.Post, w => $"api/campaigns/{w.Campaign}/evaluations/{w.Branch}/self-assessment",
            Roles.BranchSecretary, w => w.Branch, w => Node(new
            {
                scores = CampaignDriver.Scores(20, 20, 20, 20),
                summary = "本年度工作总结",
                evidence = new[] { new { criterion = "unity", title = "民族团结活动照片", url = "https://example.org/e/1" } },
            })),
        ["POST township-review"] = new(HttpMethod.Post, w => $"api/campaigns/{w.Campaign}/evaluations/{w.Branch}/township-review",
            Roles.TownshipReviewer, w => CampaignDriver.TownshipOf(w.Branch), w => Node(new { decision = "approve" })),
        ["POST county-score"] = new(HttpMethod.Post, w => $"api/campaigns/{w.Campaign}/evaluations/{w.Branch}/county-score",
            Roles.CountyScorer, w => w.County.Id,
            w => Node(new { scores = CampaignDriver.Scores(20, 20, 20, 20), veto = (string?)null, comment = "评分" })),
        ["POST publication"] = new(HttpMethod.Post, w => $"api/campaigns/{w.NoticeCampaign}/publication",
            Roles.OrgDepartment, w => w.NoticeCounty.Id, w => Node(new { force = false })),
        ["POST objections"] = new(HttpMethod.Post, w => $"api/campaigns/{w.Campaign}/objections",
            Roles.Member, w => w.County.Id, w => Node(new { branchId = w.Branch, text = "群众反映该支部材料有误" })),
        ["POST objection resolution"] = new(HttpMethod.Post, w => $"api/campaigns/{w.NoticeCampaign}/objections/{w.Objection}/resolution",
            Roles.OrgDepartment, w => w.NoticeCounty.Id, w => Node(new { upheld = false, comment = "经核实不属实" })),
        ["POST objection resolutions"] = new(HttpMethod.Post, w => $"api/campaigns/{w.NoticeCampaign}/objection-resolutions",
            Roles.OrgDepartment, w => w.NoticeCounty.Id,
            w => Node(new { objectionIds = new[] { w.Objection }, upheld = false, comment = "经核实不属实" })),
        ["POST selftests"] = new(HttpMethod.Post, w => "api/selftests", Roles.OrgDepartment, w => "chifeng",
            w => Node(new { deadlineSeconds = 600, requestedBy = "bad-body-tests" })),
        ["POST selftest confirmation"] = new(HttpMethod.Post, w => $"api/selftests/selftest-{new string('0', 32)}/confirmation",
            Roles.OrgDepartment, w => "chifeng", w => Node(new { })),
    };

    static JsonNode Node(object value) => JsonSerializer.SerializeToNode(value)!;

    // ---- The world: a running campaign (branches awaiting self-assessment) and a campaign in its public notice
    // with one open objection. Built once per fixture.

    sealed record World(TestCounty County, string Campaign, CampaignDefinition Definition, TestCounty NoticeCounty, string NoticeCampaign,
        string Objection, int HistoryLength, CampaignDriver Driver)
    {
        public string Branch => County.Branches[0];
    }

    static readonly PerFixture<World> Worlds = new();

    static Task<World> WorldAsync(LocalHostFixture fx) => Worlds.GetAsync(fx, () => BuildWorldAsync(fx));

    static async Task<World> BuildWorldAsync(LocalHostFixture fx)
    {
        // Kept for the fixture's lifetime: its clients are the callers of every case.
        var driver = new CampaignDriver(fx.Host);
        string suffix = Guid.NewGuid().ToString("N")[..8];

        TestCounty county = await driver.CreateCountyAsync(townships: 1, branchesPerTownship: 2);
        string campaign = "bad-bodies-" + suffix;
        CampaignDefinition definition = CampaignDriver.Campaign(campaign, county.Id, "PT10M", "PT10M", "PT10M", "PT10M");
        Task running = driver.CreateAndStartAsync(definition, county.Id, county.Branches.Count);

        // The second campaign goes all the way to its public notice, where an objection is filed.
        TestCounty noticeCounty = await driver.CreateCountyAsync(townships: 1, branchesPerTownship: 1);
        string noticeCampaign = "notice-" + suffix;
        CampaignDefinition noticeDefinition = CampaignDriver.Campaign(noticeCampaign, noticeCounty.Id, "PT10M", "PT10M", "PT10M", "PT10M");
        await driver.CreateAndStartAsync(noticeDefinition, noticeCounty.Id, 1);
        await driver.ToNoticeAsync(noticeCampaign, noticeCounty);
        string branch = noticeCounty.Branches[0];
        using HttpResponseMessage filed = await driver.As(Roles.Member, noticeCounty.Id).PostAsJsonAsync(
            $"api/campaigns/{noticeCampaign}/objections", new { branchId = branch, text = "群众反映该支部材料有误" });
        await CampaignDriver.Expect(filed, HttpStatusCode.Accepted);
        string objection = (await filed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;

        await running;
        JsonElement evaluation = await driver.EvaluationAsync(campaign, county.Branches[0]);
        Assert.Equal("awaiting-self-assessment", evaluation.GetProperty("stage").GetString());
        return new World(county, campaign, definition, noticeCounty, noticeCampaign, objection,
            evaluation.GetProperty("history").GetArrayLength(), driver);
    }

    static HttpClient Client(World w, string role, string unit) => w.Driver.As(role, unit);

    // ---- Sending a case and checking the answer.

    static async Task SendAndCheckAsync(World w, Target target, string what, string at, string value, int status, string? pointer)
    {
        using var request = new HttpRequestMessage(target.Method, target.Path(w)) { Content = Content(target.Valid(w), at, value) };
        using HttpResponseMessage r = await Client(w, target.Role, target.Unit(w)).SendAsync(request);
        await AssertProblemAsync(r, status, pointer, $"{what} ({at} = {value})");
    }

    static async Task AssertProblemAsync(HttpResponseMessage r, int status, string? pointer, string what)
    {
        string body = await r.Content.ReadAsStringAsync();
        string context = $"{what}: {r.RequestMessage?.Method} {r.RequestMessage?.RequestUri?.PathAndQuery} " +
            $"answered {(int)r.StatusCode}: {body}";
        Assert.True((int)r.StatusCode == status, $"expected {status}, {context}");
        Assert.True(r.Content.Headers.ContentType?.MediaType == "application/problem+json", $"expected problem+json, {context}");
        using JsonDocument problem = JsonDocument.Parse(body);
        Assert.True(problem.RootElement.TryGetProperty("status", out JsonElement s) && s.GetInt32() == status,
            $"problem status, {context}");
        if (status != 422) return;
        Assert.True(problem.RootElement.TryGetProperty("errors", out JsonElement errors)
            && errors.ValueKind == JsonValueKind.Array && errors.GetArrayLength() > 0,
            $"errors, {context}");
        foreach (JsonElement e in errors.EnumerateArray())
        {
            Assert.Equal(JsonValueKind.String, e.GetProperty("pointer").ValueKind);
            Assert.False(string.IsNullOrEmpty(e.GetProperty("detail").GetString()), context);
        }
        if (pointer is not null)
            Assert.True(errors.EnumerateArray().Any(e => e.GetProperty("pointer").GetString() == pointer),
                $"expected an error at '{pointer}', {context}");
    }

    static async Task AssertEvaluationUnchangedAsync(World w)
    {
        JsonElement e = await w.Driver.EvaluationAsync(w.Campaign, w.Branch);
        Assert.Equal("awaiting-self-assessment", e.GetProperty("stage").GetString());
        Assert.Equal(w.HistoryLength, e.GetProperty("history").GetArrayLength());
        Assert.Equal(0, e.GetProperty("round").GetInt32());
        Assert.Equal(JsonValueKind.Null, e.GetProperty("submission").ValueKind);
    }

    async Task<int> OpenObjectionsAsync(World w)
    {
        int open = 0;
        await foreach (TableEntity _ in fx.Table("Objections").QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {w.NoticeCampaign} and Status eq {"open"}")))
            open++;
        return open;
    }

    // ---- Building the bytes of a case.

    const string Placeholder = "@@case-value@@";

    static HttpContent? Content(JsonNode valid, string at, string value)
    {
        string validText = valid.ToJsonString();
        switch (value)
        {
            case "NO-BODY": return null;
            case "EMPTY": return Bytes([], "application/json");
            case "VALID": return Bytes(Encoding.UTF8.GetBytes(validText), "application/json");
            case "AS-TEXT": return Bytes(Encoding.UTF8.GetBytes(validText), "text/plain");
            case "NO-TYPE": return Bytes(Encoding.UTF8.GetBytes(validText), null);
            case "HUGE": return Bytes(Padded(validText), "application/json");
            case "HUGE-CHUNKED":
                var chunked = new UnsizedContent(Padded(validText));
                chunked.Headers.ContentType = new("application/json");
                return chunked;
        }
        if (value.StartsWith("DEEP*", StringComparison.Ordinal))
        {
            int n = int.Parse(value[5..]);
            return Bytes(Encoding.UTF8.GetBytes(new string('[', n) + new string(']', n)), "application/json");
        }
        if (at.Length == 0) return Bytes(Encoding.UTF8.GetBytes(value), "application/json");

        JsonNode body = valid.DeepClone();
        (JsonNode parent, string name) = ParentOf(body, at);
        if (value == "REMOVE")
        {
            if (parent is JsonObject o) Assert.True(o.Remove(name), $"nothing at {at} to remove");
            else parent.AsArray().RemoveAt(int.Parse(name));
            return Bytes(Encoding.UTF8.GetBytes(body.ToJsonString()), "application/json");
        }
        if (value.StartsWith("REPEAT*", StringComparison.Ordinal))
        {
            JsonArray array = Get(parent, name)!.AsArray();
            JsonNode first = array[0]!;
            array.Clear();
            for (int i = int.Parse(value[7..]); i > 0; i--) array.Add(first.DeepClone());
            return Bytes(Encoding.UTF8.GetBytes(body.ToJsonString()), "application/json");
        }
        if (value.StartsWith("STRING*", StringComparison.Ordinal))
        {
            Set(parent, name, JsonValue.Create(new string('a', int.Parse(value[7..]))));
            return Bytes(Encoding.UTF8.GetBytes(body.ToJsonString()), "application/json");
        }

        Set(parent, name, JsonValue.Create(Placeholder));
        string[] halves = body.ToJsonString().Split($"\"{Placeholder}\"");
        Assert.Equal(2, halves.Length);
        byte[] middle = value == "LATIN1"
            ? [(byte)'"', (byte)'c', (byte)'a', (byte)'f', 0xE9, (byte)'"']
            : Encoding.UTF8.GetBytes(value);
        return Bytes([.. Encoding.UTF8.GetBytes(halves[0]), .. middle, .. Encoding.UTF8.GetBytes(halves[1])], "application/json");
    }

    /// <summary>The valid body followed by spaces, MaxBodyBytes + 1 bytes in all: valid JSON, only too long.</summary>
    static byte[] Padded(string validText)
    {
        byte[] text = Encoding.UTF8.GetBytes(validText);
        byte[] padded = new byte[MaxBodyBytes + 1];
        Array.Fill(padded, (byte)' ');
        text.CopyTo(padded, 0);
        return padded;
    }

    static (JsonNode Parent, string Name) ParentOf(JsonNode body, string pointer)
    {
        string[] segments = pointer.Split('/')[1..];
        JsonNode node = body;
        foreach (string segment in segments[..^1])
            node = Get(node, segment) ?? throw new InvalidOperationException($"nothing at '{segment}' of {pointer}");
        return (node, segments[^1]);
    }

    static JsonNode? Get(JsonNode node, string name) => node is JsonArray a ? a[int.Parse(name)] : node[name];

    static void Set(JsonNode parent, string name, JsonNode? value)
    {
        if (parent is JsonArray a) a[int.Parse(name)] = value;
        else parent[name] = value;
    }

    static ByteArrayContent Bytes(byte[] bytes, string? contentType)
    {
        var content = new ByteArrayContent(bytes);
        if (contentType is not null) content.Headers.ContentType = new(contentType);
        return content;
    }

    /// <summary>Content of unknown length, so HttpClient sends it chunked.</summary>
    sealed class UnsizedContent(byte[] bytes) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context) =>
            stream.WriteAsync(bytes).AsTask();

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
