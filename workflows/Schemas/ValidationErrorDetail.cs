using System.Globalization;
using NJsonSchema;
using NJsonSchema.Validation;

namespace Eval.Workflows.Schemas;

/// <summary>Says in a few words what an NJsonSchema error means, with the limit it broke ("must be ≤ 25").</summary>
static class ValidationErrorDetail
{
    // Long enough to name every criterion of a rubric, short enough to stay a message.
    const int MaxListedValues = 30;

    public static string Describe(ValidationError error)
    {
        if (error is TextValidationError text) return text.Problem;
        JsonSchema? schema = error.Schema;
        return error.Kind switch
        {
            ValidationErrorKind.PropertyRequired => "required",
            ValidationErrorKind.NoAdditionalPropertiesAllowed => "unknown property",
            ValidationErrorKind.StringExpected => "must be a string",
            ValidationErrorKind.NumberExpected => "must be a number",
            ValidationErrorKind.IntegerExpected => "must be an integer",
            ValidationErrorKind.BooleanExpected => "must be true or false",
            ValidationErrorKind.ObjectExpected => "must be an object",
            ValidationErrorKind.ArrayExpected => "must be an array",
            ValidationErrorKind.NullExpected => "must be null",
            ValidationErrorKind.NoTypeValidates when error is MultiTypeValidationError multi =>
                "must be " + string.Join(" or ", multi.Errors.Keys.Select(TypeName)),
            ValidationErrorKind.StringTooShort when schema?.MinLength is 1 => "must not be empty",
            ValidationErrorKind.StringTooShort => $"must be at least {schema?.MinLength} characters",
            ValidationErrorKind.StringTooLong => $"must be at most {schema?.MaxLength} characters",
            ValidationErrorKind.PatternMismatch => $"must match the pattern {schema?.Pattern}",
            ValidationErrorKind.NumberTooSmall => TooSmall(schema),
            ValidationErrorKind.NumberTooBig => TooBig(schema),
            ValidationErrorKind.NumberNotMultipleOf => $"must be a multiple of {Number(schema?.MultipleOf)}",
            ValidationErrorKind.NotInEnumeration => NotInEnumeration(schema),
            ValidationErrorKind.TooFewItems when schema?.MinItems is 1 => "must not be empty",
            ValidationErrorKind.TooFewItems => $"must have at least {schema?.MinItems} items",
            ValidationErrorKind.TooManyItems => $"must have at most {schema?.MaxItems} items",
            ValidationErrorKind.ItemsNotUnique => "must not repeat an item",
            ValidationErrorKind.TooFewProperties => $"must have at least {schema?.MinProperties} properties",
            ValidationErrorKind.TooManyProperties => $"must have at most {schema?.MaxProperties} properties",
            ValidationErrorKind.ExcludedSchemaValidates => "is not allowed",
            ValidationErrorKind.NotOneOf when schema?.OneOf.All(form => form.Title is not null) == true => NotOneOf(schema),
            ValidationErrorKind.NotOneOf => "must match exactly one of the allowed forms",
            ValidationErrorKind.NotAnyOf => "must match one of the allowed forms",
            _ => "is not valid",
        };
    }

    static string TooSmall(JsonSchema? schema) =>
        schema?.ExclusiveMinimum is { } exclusive ? $"must be > {Number(exclusive)}"
        : schema?.IsExclusiveMinimum == true ? $"must be > {Number(schema.Minimum)}"
        : $"must be ≥ {Number(schema?.Minimum)}";

    static string TooBig(JsonSchema? schema) =>
        schema?.ExclusiveMaximum is { } exclusive ? $"must be < {Number(exclusive)}"
        : schema?.IsExclusiveMaximum == true ? $"must be < {Number(schema.Maximum)}"
        : $"must be ≤ {Number(schema?.Maximum)}";

    /// <summary>Names the forms and what each needs: "must be exactly one of: Link (title and url), File (evidenceId)".</summary>
    static string NotOneOf(JsonSchema schema) =>
        "must be exactly one of: " +
        string.Join(", ", schema.OneOf.Select(form => $"{form.Title} ({string.Join(" and ", form.RequiredProperties)})"));

    static string NotInEnumeration(JsonSchema? schema)
    {
        if (schema is null || schema.Enumeration.Count is 0 or > MaxListedValues) return "is not one of the allowed values";
        IEnumerable<string> values = schema.Enumeration.Select(v => v switch
        {
            null => "null",
            string s => s,
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => v.ToString() ?? "",
        });
        return "must be one of: " + string.Join(", ", values);
    }

    static string TypeName(JsonObjectType type) => type switch
    {
        JsonObjectType.String => "a string",
        JsonObjectType.Number => "a number",
        JsonObjectType.Integer => "an integer",
        JsonObjectType.Boolean => "true or false",
        JsonObjectType.Object => "an object",
        JsonObjectType.Array => "an array",
        JsonObjectType.Null => "null",
        _ => type.ToString().ToLowerInvariant(),
    };

    // 25 rather than 25.0, 0.5 rather than 0.50: limits read as written in the schema.
    static string Number(decimal? value) =>
        value?.ToString("0.############################", CultureInfo.InvariantCulture) ?? "?";
}
