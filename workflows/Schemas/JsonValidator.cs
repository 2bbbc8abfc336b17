using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using NJsonSchema;
using NJsonSchema.Validation;

namespace Eval.Workflows.Schemas;

/// <summary>
/// Validates a request body against a JSON schema and reports each problem as a <see cref="FieldError"/>: a JSON
/// pointer into the body and a short detail. Never throws on the body, whatever it holds.
/// </summary>
public static class JsonValidator
{
    public const string MalformedJson = "malformed JSON";

    // Deeper than any body the API accepts, shallow enough that no recursion over a body can run out of stack.
    const int MaxDepth = 64;

    static readonly Draft7SchemaValidator SchemaValidator = new();

    public static IReadOnlyList<FieldError> Validate(JsonSchema schema, string json)
    {
        ArgumentNullException.ThrowIfNull(schema);
        if (Parse(json) is not { } body)
            return [new FieldError(JsonPointer.Root, MalformedJson)];

        try
        {
            var pointers = new TokenPointers();
            return SchemaValidator.Validate(body, schema)
                .SelectMany(Leaves)
                .Select(error => ToFieldError(error, pointers))
                .OfType<FieldError>()
                .Distinct()
                .OrderBy(error => error.Pointer, JsonPointer.Order)
                .ToList();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A schema that cannot be applied (a pattern that times out, say) must not turn a bad request into a 500.
            return [new FieldError(JsonPointer.Root, "could not be validated")];
        }
    }

    /// <summary>
    /// The text rule alone, for a body without a schema (the self-test's): every string is single-line text, and each that
    /// is not is reported at its pointer. Malformed JSON gives no errors here; the binder reports it where it stops.
    /// </summary>
    public static IReadOnlyList<FieldError> ValidateText(string json)
    {
        if (Parse(json) is not { } body) return [];
        var pointers = new TokenPointers();
        IEnumerable<JToken> tokens = body is JContainer container ? container.DescendantsAndSelf() : [body];
        return tokens.OfType<JValue>()
            .Where(value => value.Type == JTokenType.String)
            .Select(value => CleanText.Problem((string)value.Value!, TextField.SingleLine) is { } problem
                ? new FieldError(pointers.Of(value), problem)
                : null)
            .OfType<FieldError>()
            .OrderBy(error => error.Pointer, JsonPointer.Order)
            .ToList();
    }

    /// <summary>
    /// Strict JSON first (System.Text.Json, as the API reads bodies: no comments, trailing commas, NaN, single quotes
    /// or trailing content, all of which Newtonsoft would let through), then the Newtonsoft tree NJsonSchema validates.
    /// </summary>
    static JToken? Parse(string? json)
    {
        if (json is null) return null;
        try
        {
            using JsonDocument strict = JsonDocument.Parse(json,
                new JsonDocumentOptions { MaxDepth = MaxDepth, AllowDuplicateProperties = false });

            // Decimal first: the API binds numbers to decimal, so the checks must see the same exact value
            // (as doubles, 25.0000000000000001 would pass "maximum 25"). Beyond decimal's range (1e400), double:
            // it reads as infinity and fails its maximum.
            JToken body;
            try { body = ReadTree(json, FloatParseHandling.Decimal); }
            catch (JsonReaderException) { body = ReadTree(json, FloatParseHandling.Double); }
            ClampBigIntegers(body);
            if (SurrogateEscape.IsMatch(json)) RestoreLoneSurrogates(strict.RootElement, body);
            return body;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return null;
        }
    }

    static JToken ReadTree(string json, FloatParseHandling numbers)
    {
        using var reader = new JsonTextReader(new StringReader(json))
        {
            DateParseHandling = DateParseHandling.None, // strings stay strings, as they are checked against patterns
            FloatParseHandling = numbers,
            MaxDepth = MaxDepth,
        };
        return JToken.ReadFrom(reader, new JsonLoadSettings { DuplicatePropertyNameHandling = DuplicatePropertyNameHandling.Error });
    }

    // A surrogate escape, \uD800 to \uDFFF in either case: without one no string can hold a lone surrogate.
    static readonly Regex SurrogateEscape = new(@"\\u[dD][89a-fA-F]", RegexOptions.CultureInvariant);

    /// <summary>
    /// Newtonsoft reads an escaped lone surrogate ("\ud800") as U+FFFD, which would pass as text, while the API's
    /// System.Text.Json cannot read it as a string at all. Put back as written, the text rule reports it at its field.
    /// Both trees hold the same values in the same order (duplicate names are refused), so they are walked side by side.
    /// </summary>
    static void RestoreLoneSurrogates(JsonElement element, JToken token)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach ((JsonProperty property, JProperty parsed) in element.EnumerateObject().Zip(((JObject)token).Properties()))
                    RestoreLoneSurrogates(property.Value, parsed.Value);
                break;
            case JsonValueKind.Array:
                foreach ((JsonElement item, JToken parsed) in element.EnumerateArray().Zip((JArray)token))
                    RestoreLoneSurrogates(item, parsed);
                break;
            case JsonValueKind.String when !CanReadString(element):
                ((JValue)token).Value = Unescape(element.GetRawText());
                break;
        }
    }

    static bool CanReadString(JsonElement element)
    {
        try
        {
            element.GetString();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>The text a JSON string token stands for, lone surrogates included. The token is valid JSON, quotes and all.</summary>
    static string Unescape(string token)
    {
        var text = new StringBuilder(token.Length);
        for (int i = 1; i < token.Length - 1; i++)
        {
            if (token[i] != '\\')
            {
                text.Append(token[i]);
                continue;
            }
            char escape = token[++i];
            if (escape == 'u')
            {
                text.Append((char)int.Parse(token.AsSpan(i + 1, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture));
                i += 4;
            }
            else
            {
                text.Append(escape switch { 'b' => '\b', 'f' => '\f', 'n' => '\n', 'r' => '\r', 't' => '\t', _ => escape });
            }
        }
        return text.ToString();
    }

    /// <summary>
    /// Newtonsoft reads integers beyond 64 bits as BigInteger, which NJsonSchema's range checks cannot convert (they
    /// throw InvalidCastException). Clamped to the nearest 64-bit integer they stay integers and still lie beyond any
    /// limit a schema here sets, so they are reported as too big or too small.
    /// </summary>
    static void ClampBigIntegers(JToken body)
    {
        IEnumerable<JToken> tokens = body is JContainer container ? container.DescendantsAndSelf() : [body];
        foreach (JValue value in tokens.OfType<JValue>())
            if (value.Value is BigInteger integer)
                value.Value = integer.Sign > 0 ? long.MaxValue : long.MinValue;
    }

    /// <summary>
    /// The errors that say what is wrong. NJsonSchema wraps the errors of an array item, an additional property or an
    /// allOf in one error for the container; unwrapped, each points at its own value.
    /// </summary>
    static IEnumerable<ValidationError> Leaves(ValidationError error) =>
        error is ChildSchemaValidationError child && child.Kind is ValidationErrorKind.ArrayItemNotValid
            or ValidationErrorKind.AdditionalItemNotValid or ValidationErrorKind.AdditionalPropertiesNotValid
            or ValidationErrorKind.NotAllOf
            ? child.Errors.Values.SelectMany(errors => errors).SelectMany(Leaves)
            : [error];

    static FieldError? ToFieldError(ValidationError error, TokenPointers pointers)
    {
        string detail = ValidationErrorDetail.Describe(error);
        if (error.Token is null)
            return new FieldError(PointerFromPath(error.Path), detail);

        if (error.Kind == ValidationErrorKind.PropertyRequired)
        {
            // NJsonSchema reports a missing property on the object that lacks it; the pointer names the property.
            // A value that is not an object at all is already reported as such: its "missing" properties are noise.
            return error.Token is JObject && error.Property is { } missing
                ? new FieldError(JsonPointer.Append(pointers.Of(error.Token), missing), detail)
                : null;
        }
        return new FieldError(pointers.Of(error.Token), detail);
    }

    /// <summary>
    /// The fallback when an error carries no token: NJsonSchema's path ("#/rubric.criteria[0].maxPoints") read as a
    /// pointer. Ambiguous for property names with '.' or '[', which is why tokens are preferred.
    /// </summary>
    static string PointerFromPath(string? path)
    {
        if (string.IsNullOrEmpty(path)) return JsonPointer.Root;
        string pointer = JsonPointer.Root;
        foreach (string part in path.TrimStart('#', '/').Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            int bracket = part.IndexOf('[');
            if (bracket != 0) pointer = JsonPointer.Append(pointer, bracket < 0 ? part : part[..bracket]);
            if (bracket >= 0)
                foreach (string index in part[bracket..].Split(['[', ']'], StringSplitOptions.RemoveEmptyEntries))
                    pointer += "/" + index;
        }
        return pointer;
    }

    /// <summary>
    /// The pointer of a value, from its place in the parsed tree: exact for any property name, unlike NJsonSchema's
    /// dotted paths. Array positions are indexed once per array, so a long array with an error in every item stays linear.
    /// </summary>
    sealed class TokenPointers
    {
        readonly Dictionary<JArray, Dictionary<JToken, int>> positions = new(ReferenceEqualityComparer.Instance);

        public string Of(JToken token)
        {
            var segments = new List<string>();
            for (JToken? node = token; node is not null; node = node.Parent)
            {
                if (node is JProperty property)
                    segments.Add(property.Name);
                else if (node.Parent is JArray array)
                    segments.Add(PositionIn(array, node).ToString(CultureInfo.InvariantCulture));
            }
            segments.Reverse();
            return segments.Aggregate(JsonPointer.Root, JsonPointer.Append);
        }

        int PositionIn(JArray array, JToken item)
        {
            if (!positions.TryGetValue(array, out Dictionary<JToken, int>? byItem))
            {
                byItem = new Dictionary<JToken, int>(ReferenceEqualityComparer.Instance);
                for (int i = 0; i < array.Count; i++) byItem[array[i]] = i;
                positions[array] = byItem;
            }
            return byItem[item];
        }
    }
}
