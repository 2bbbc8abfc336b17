using Eval.Workflows.Domain;

namespace Eval.Workflows.Schemas;

/// <summary>
/// A township that returns or rejects a self-assessment must say why: the branch reworks it, or loses its
/// evaluation, on the strength of that comment. township-review.schema.json says so with if/then, which NJsonSchema
/// does not evaluate by itself; <see cref="JsonValidator"/> adds it, and this checks a review already deserialized.
/// </summary>
public static class ReviewCommentRules
{
    public static bool NeedsComment(string? decision) =>
        decision is ReviewDecisions.Return or ReviewDecisions.Reject;

    public static IReadOnlyList<FieldError> Validate(TownshipReview review)
    {
        ArgumentNullException.ThrowIfNull(review);
        return NeedsComment(review.Decision) && string.IsNullOrWhiteSpace(review.Comment)
            ? [new FieldError("/comment", $"required when the decision is {review.Decision}")]
            : [];
    }
}
