using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Newtonsoft.Json.Linq;
using NJsonSchema;
using NJsonSchema.Validation;

namespace Eval.Workflows.Schemas;

/// <summary>
/// NJsonSchema's validator with two draft-07 behaviours it lacks, so a body is held to exactly the schema clients see,
/// and the project's rule for text:
/// <list type="bullet">
/// <item>if/then/else. NJsonSchema keeps these keywords as extension data (as schemas when they have "type" or
/// "properties", so write them that way) and ignores them when validating.</item>
/// <item>The end anchor. NJsonSchema matches patterns with .NET's Regex, where "$" also matches before a final
/// newline, so "abc\n" would pass "^[a-z]+$". JSON Schema patterns are ECMA-262, where it does not.</item>
/// <item>Clean text. Every string a schema declares ("type": "string") must be <see cref="CleanText"/>: single-line
/// unless the schema says "x-multiline": true.</item>
/// </list>
/// </summary>
sealed class Draft7SchemaValidator : JsonSchemaValidator
{
    static readonly ConcurrentDictionary<string, Regex> EndAnchoredPatterns = new(StringComparer.Ordinal);

    public Draft7SchemaValidator() : base(new JsonSchemaValidatorSettings())
    {
    }

    protected override ICollection<ValidationError> Validate(
        JToken token, JsonSchema schema, SchemaType schemaType, string? propertyName, string propertyPath)
    {
        ICollection<ValidationError> errors = base.Validate(token, schema, schemaType, propertyName, propertyPath);
        CheckEndAnchor(token, schema, propertyName, propertyPath, errors);
        CheckText(token, schema, propertyName, propertyPath, errors);
        ApplyConditional(token, schema, schemaType, propertyName, propertyPath, errors);
        return errors;
    }

    void ApplyConditional(
        JToken token, JsonSchema schema, SchemaType schemaType, string? propertyName, string propertyPath,
        ICollection<ValidationError> errors)
    {
        if (schema.ExtensionData is not { } keywords || !keywords.TryGetValue("if", out object? condition)
            || condition is not JsonSchema ifSchema)
            return;

        bool holds = Validate(token, ifSchema.ActualSchema, schemaType, propertyName, propertyPath).Count == 0;
        if (keywords.TryGetValue(holds ? "then" : "else", out object? branch) && branch is JsonSchema branchSchema)
            foreach (ValidationError error in Validate(token, branchSchema.ActualSchema, schemaType, propertyName, propertyPath))
                errors.Add(error);
    }

    // Only a schema that declares a string decides whether it is single- or multi-line; conditions and other subschemas
    // that merely constrain a string (an "if" on an enum, a "then" with a pattern) leave it to the property's own schema.
    // A string that fails its pattern (an id, a URL) is told what it must match; the text rule would only repeat it.
    static void CheckText(JToken token, JsonSchema schema, string? propertyName, string propertyPath, ICollection<ValidationError> errors)
    {
        if (token.Type != JTokenType.String || !schema.Type.HasFlag(JsonObjectType.String) || token.Value<string>() is not { } text)
            return;
        if (errors.Any(e => e.Kind == ValidationErrorKind.PatternMismatch && ReferenceEquals(e.Token, token)))
            return;
        TextField field = IsMultiLine(schema) ? TextField.MultiLine : TextField.SingleLine;
        if (CleanText.Problem(text, field) is { } problem)
            errors.Add(new TextValidationError(problem, propertyName, propertyPath, token, schema));
    }

    static bool IsMultiLine(JsonSchema schema) =>
        schema.ExtensionData is { } keywords && keywords.TryGetValue(CleanText.MultiLineKeyword, out object? value) && value is true;

    static void CheckEndAnchor(
        JToken token, JsonSchema schema, string? propertyName, string propertyPath, ICollection<ValidationError> errors)
    {
        // Only a string ending in a newline can tell the two readings of "$" apart.
        if (token.Type != JTokenType.String || schema.Pattern is not { Length: > 0 } pattern || !EndsWithAnchor(pattern) ||
            token.Value<string>() is not { } text || !text.EndsWith('\n'))
            return;
        if (errors.Any(e => e.Kind == ValidationErrorKind.PatternMismatch && ReferenceEquals(e.Token, token)))
            return;

        Regex strict = EndAnchoredPatterns.GetOrAdd(pattern, p => new Regex(p[..^1] + @"\z", RegexOptions.None, TimeSpan.FromSeconds(1)));
        if (!strict.IsMatch(text))
            errors.Add(new ValidationError(ValidationErrorKind.PatternMismatch, propertyName, propertyPath, token, schema));
    }

    // A final "$" that is not escaped: preceded by an even number of backslashes.
    static bool EndsWithAnchor(string pattern)
    {
        if (!pattern.EndsWith('$')) return false;
        int backslashes = 0;
        for (int i = pattern.Length - 2; i >= 0 && pattern[i] == '\\'; i--) backslashes++;
        return backslashes % 2 == 0;
    }
}

/// <summary>A string that is not <see cref="CleanText"/>, with the reason (<see cref="Problem"/>) to report.</summary>
sealed class TextValidationError(string problem, string? propertyName, string propertyPath, JToken token, JsonSchema schema)
    : ValidationError(ValidationErrorKind.Unknown, propertyName, propertyPath, token, schema)
{
    public string Problem { get; } = problem;
}
