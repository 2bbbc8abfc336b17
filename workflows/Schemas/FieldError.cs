namespace Eval.Workflows.Schemas;

/// <summary>One thing wrong with a request body: where (a JSON pointer, RFC 6901) and what.</summary>
public sealed record FieldError(string Pointer, string Detail);
