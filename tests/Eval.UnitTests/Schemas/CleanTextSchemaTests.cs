using System.Text.Json.Nodes;
using Eval.Workflows.Schemas;
using NJsonSchema;

namespace Eval.UnitTests.Schemas;

/// <summary>
/// The text rule as every body's validation applies it: each free-text field of each body, given unclean text as JSON
/// text (raw characters or escapes, as a client may send them), is refused with one error at its pointer.
/// </summary>
public class CleanTextSchemaTests
{
    static readonly Dictionary<string, (Func<Task<JsonSchema>> Schema, string Valid)> Bodies = new()
    {
        ["units"] = (() => SchemaCatalog.GetAsync(SchemaCatalog.Units),
            """{"units":[{"id":"chifeng","name":"赤峰市","kind":"city"}]}"""),
        ["campaign"] = (() => SchemaCatalog.GetAsync(SchemaCatalog.Campaign), SampleBodies.Campaign),
        ["township-review"] = (() => SchemaCatalog.GetAsync(SchemaCatalog.TownshipReview),
            """{"decision":"return","comment":"请补充材料"}"""),
        ["objection"] = (() => SchemaCatalog.GetAsync(SchemaCatalog.Objection),
            """{"branchId":"chifeng.hongshan.t01.b001","text":"得分与事实不符"}"""),
        ["objection-resolution"] = (() => SchemaCatalog.GetAsync(SchemaCatalog.ObjectionResolution),
            """{"upheld":false,"comment":"经核查，评分无误"}"""),
        ["objection-resolutions"] = (() => SchemaCatalog.GetAsync(SchemaCatalog.ObjectionResolutions),
            """{"objectionIds":["obj-0123456789abcdef0123456789abcdef"],"upheld":false,"comment":"经核查，评分无误"}"""),
        ["self-assessment"] = (() => Task.FromResult(SchemaCatalog.SelfAssessment(SampleBodies.CampaignDefinition)),
            SampleBodies.SelfAssessment),
        ["county-score"] = (() => Task.FromResult(SchemaCatalog.CountyScore(SampleBodies.CampaignDefinition)),
            SampleBodies.CountyScore),
    };

    /// <summary>Every free-text field of every body, and whether it may hold several lines.</summary>
    static readonly (string Body, string Pointer, bool MultiLine)[] Fields =
    [
        ("units", "/units/0/name", false),
        ("campaign", "/title", false),
        ("campaign", "/rubric/criteria/0/title", false),
        ("campaign", "/rubric/vetoItems/0/title", false),
        ("campaign", "/levels/0/title", false),
        ("self-assessment", "/summary", true),
        ("self-assessment", "/evidence/0/title", false),
        ("county-score", "/comment", true),
        ("township-review", "/comment", true),
        ("objection", "/text", true),
        ("objection-resolution", "/comment", true),
        ("objection-resolutions", "/comment", true),
    ];

    /// <summary>Unclean strings as JSON text, and what is said about them.</summary>
    static readonly (string Json, string Problem)[] Unclean =
    [
        ("\"a\\u0000b\"", "contains a control character U+0000"),
        ("\"\\u001b[31mred\\u001b[0m\"", "contains a control character U+001B"),
        ("\"a\u0085b\"", "contains a control character U+0085"),
        ("\"a\\u009B2Jb\"", "contains a control character U+009B"),
        ("\"abc\u202Edef\"", "contains a bidirectional control U+202E"),
        ("\"abc\\u2066def\"", "contains a bidirectional control U+2066"),
        ("\"\uFEFFabc\"", "contains a byte order mark U+FEFF"),
        ("\"a\uFFFEb\"", "contains a noncharacter U+FFFE"),
        ("\"a\\ud83f\\udfffb\"", "contains a noncharacter U+1FFFF"),
        ("\"a\\ud800b\"", "contains a lone surrogate U+D800"),
        ("\"a\\uDFFF\"", "contains a lone surrogate U+DFFF"),
        ("\"\\ude00\\ud83d\"", "contains a lone surrogate U+DE00"),
    ];

    static readonly string[] LineBreaks =
        ["\"第一行\\n第二行\"", "\"第一行\\r\\n第二行\"", "\"第一行\u2028第二行\"", "\"a\\tb\""];

    public static TheoryData<string, string, string, string> UncleanCases()
    {
        var data = new TheoryData<string, string, string, string>();
        foreach (var (body, pointer, _) in Fields)
            foreach (var (json, problem) in Unclean)
                data.Add(body, pointer, json, problem);
        return data;
    }

    public static TheoryData<string, string, bool, string> LineBreakCases()
    {
        var data = new TheoryData<string, string, bool, string>();
        foreach (var (body, pointer, multiLine) in Fields)
            foreach (string json in LineBreaks)
                data.Add(body, pointer, multiLine, json);
        return data;
    }

    [Theory]
    [MemberData(nameof(UncleanCases))]
    public async Task Unclean_text_is_refused_at_its_field(string body, string pointer, string json, string problem)
    {
        Assert.Equal([new FieldError(pointer, problem)], await CheckAsync(body, pointer, json));
    }

    [Theory]
    [MemberData(nameof(LineBreakCases))]
    public async Task Line_breaks_and_tabs_are_refused_in_single_line_fields_only(string body, string pointer, bool multiLine, string json)
    {
        IReadOnlyList<FieldError> errors = await CheckAsync(body, pointer, json);

        if (multiLine) Assert.Empty(errors);
        else Assert.Equal([new FieldError(pointer, json.Contains("\\t") ? "contains a tab" : "contains a line break")], errors);
    }

    [Theory]
    [InlineData("units", "/units/0/name")]
    [InlineData("campaign", "/title")]
    [InlineData("self-assessment", "/summary")]
    [InlineData("self-assessment", "/evidence/0/title")]
    [InlineData("objection", "/text")]
    public async Task Text_of_any_script_with_emoji_passes(string body, string pointer)
    {
        Assert.Empty(await CheckAsync(body, pointer,
            "\"ᠬᠣᠩᠰᠠᠨ 红山区 Улаанхад \\ud83d\\udc4d\\ud83c\\udffd 👨‍👩‍👧\""));
    }

    [Fact]
    public async Task An_id_with_a_control_character_is_told_its_pattern_once()
    {
        Assert.Equal([new FieldError("/id", "must match the pattern ^[a-z0-9][a-z0-9-]{2,62}$")],
            await CheckAsync("campaign", "/id", "\"hongshan-2026\\u001b\""));
    }

    [Fact]
    public async Task A_string_its_pattern_allows_is_still_held_to_the_text_rule()
    {
        Assert.Equal([new FieldError("/evidence/0/url", "contains a bidirectional control U+202E")],
            await CheckAsync("self-assessment", "/evidence/0/url", "\"https://docs.example/\u202Efdp.exe\""));
        Assert.Equal([new FieldError("/comment", "contains a control character U+0000")],
            await CheckAsync("township-review", "/comment", "\"\\u0000\""));
    }

    [Fact]
    public async Task A_lone_surrogate_in_a_property_name_is_malformed_JSON()
    {
        JsonSchema schema = await Bodies["objection"].Schema();

        Assert.Equal([new FieldError("", JsonValidator.MalformedJson)],
            JsonValidator.Validate(schema, """{"branchId":"chifeng.hongshan.t01.b001","text":"x","\ud800":1}"""));
    }

    [Fact]
    public async Task A_surrogate_pair_escape_passes_and_a_lone_one_next_to_it_is_still_found()
    {
        Assert.Empty(await CheckAsync("objection", "/text", "\"\\uD83D\\uDE00\""));
        Assert.Equal([new FieldError("/text", "contains a lone surrogate U+D83D")],
            await CheckAsync("objection", "/text", "\"\\uD83D\\uDE00\\uD83D\""));
    }

    [Fact]
    public async Task A_lone_surrogate_is_found_deep_in_an_array_among_clean_strings()
    {
        string json = SampleBodies.Edit(SampleBodies.Campaign, body =>
        {
            JsonArray levels = body["levels"].Arr();
            levels[2]!["title"] = Placeholder;
        }).Replace($"\"{Placeholder}\"", "\"\\u5408\\u683c\\ud800\"", StringComparison.Ordinal);

        Assert.Equal([new FieldError("/levels/2/title", "contains a lone surrogate U+D800")],
            JsonValidator.Validate(await Bodies["campaign"].Schema(), json));
    }

    [Fact]
    public void A_body_without_a_schema_is_held_to_the_rule_as_single_line_text()
    {
        Assert.Empty(JsonValidator.ValidateText("""{"deadlineSeconds":60,"requestedBy":"运维 张三 🙂"}"""));
        Assert.Equal(
            [new FieldError("/requestedBy", "contains a bidirectional control U+202E"), new FieldError("/tags/1", "contains a line break")],
            JsonValidator.ValidateText("""{"requestedBy":"a\u202Eb","tags":["x","y\nz"],"n":1}"""));
        Assert.Equal([new FieldError("/requestedBy", "contains a lone surrogate U+D800")],
            JsonValidator.ValidateText("""{"requestedBy":"\ud800"}"""));
        Assert.Empty(JsonValidator.ValidateText("{\"requestedBy\":"));
    }

    /// <summary>The multi-line fields, read from the schemas as clients get them: exactly the fields above that say so.</summary>
    [Fact]
    public async Task The_schemas_mark_exactly_the_multi_line_fields()
    {
        var marked = new List<(string, string)>();
        foreach ((string body, (Func<Task<JsonSchema>> schema, string _)) in Bodies)
            CollectMultiLine(body, JsonNode.Parse((await schema()).ToJson())!, "", marked);

        Assert.Equal(
            Fields.Where(f => f.MultiLine).Select(f => (f.Body, f.Pointer)).Order(),
            marked.Order());
    }

    static void CollectMultiLine(string body, JsonNode schema, string pointer, List<(string, string)> marked)
    {
        if (schema is not JsonObject o) return;
        if (o[CleanText.MultiLineKeyword] is JsonValue flag && flag.GetValue<bool>()) marked.Add((body, pointer));
        if (o["properties"] is JsonObject properties)
            foreach ((string name, JsonNode? property) in properties)
                CollectMultiLine(body, property!, pointer + "/" + name, marked);
        if (o["items"] is JsonObject items) CollectMultiLine(body, items, pointer + "/0", marked);
    }

    const string Placeholder = "@@text@@";

    /// <summary>
    /// The body's valid sample, the string at <paramref name="pointer"/> written as the JSON text <paramref name="json"/>.
    /// </summary>
    static async Task<IReadOnlyList<FieldError>> CheckAsync(string body, string pointer, string json)
    {
        (Func<Task<JsonSchema>> schema, string valid) = Bodies[body];
        string[] segments = pointer.Split('/')[1..];
        string text = SampleBodies.Edit(valid, root =>
        {
            JsonNode node = root;
            foreach (string segment in segments[..^1]) node = node is JsonArray a ? a[int.Parse(segment)]! : node[segment]!;
            node[segments[^1]] = Placeholder;
        });
        Assert.Empty(JsonValidator.Validate(await schema(), valid));
        return JsonValidator.Validate(await schema(), text.Replace($"\"{Placeholder}\"", json, StringComparison.Ordinal));
    }
}
