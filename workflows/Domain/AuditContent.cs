using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Eval.Workflows.Domain;

/// <summary>
/// The content digests audit links hold (<see cref="AuditEntry.Content"/>): "sha256:" and the SHA-256 of a canonical
/// JSON of the decision a link records. Pure, so that the verifier recomputes them from what storage holds.
/// Canonical: object keys in ordinal order, null members left out (an optional member added later does not change the
/// digest of what was written before it), numbers without trailing zeros, no whitespace.
/// </summary>
public static class AuditContent
{
    public const string Prefix = "sha256:";

    static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    /// <summary>The digest of <paramref name="value"/> as canonical JSON.</summary>
    public static string Of<T>(T value) => Prefix + Sha256Hex(Canonical(JsonSerializer.SerializeToNode(value, Options)));

    public static string Sha256Hex(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    /// <summary>
    /// What an evaluation's change decides, as its link records it: the submission (with its cited files' ids and SHA-256s),
    /// the review, the score it adds, the appraisal it counts, and, when the evaluation is done after it, the result as
    /// <paramref name="after"/> (the record with the change applied) holds it. Null when the change decides none of these
    /// (an overdue flag).
    /// </summary>
    public static string? OfChange(EvaluationChange change, EvaluationRecord after)
    {
        ArgumentNullException.ThrowIfNull(change);
        ArgumentNullException.ThrowIfNull(after);
        ResultContent? result = after.Stage == Stages.Done
            ? Result(after.Outcome, after.FinalScore, after.UnityShare, after.Breakdown)
            : null;
        return OfParts(change.Submission, change.Review, change.AddScore, change.Appraisal, result);
    }

    /// <summary>The final result as the record keeps it (scores through the table's doubles, as they are read back).</summary>
    public static ResultContent Result(string? outcome, decimal? finalScore, decimal? unityShare, ScoreBreakdown? breakdown) =>
        new(outcome, AsStored(finalScore), AsStored(unityShare), breakdown);

    /// <summary>The digest of a link's parts; null when it has none.</summary>
    public static string? OfParts(SubmissionEntry? submission, ReviewEntry? review, ScoreEntry? score, AppraisalResult? appraisal,
        ResultContent? result) =>
        submission is null && review is null && score is null && appraisal is null && result is null
            ? null
            : Of(new DecisionContent(submission, review, score, appraisal, result));

    /// <summary>
    /// The digest of a ratings list (proposed or published) in rank order: branch, score, unity share, rank, level, with
    /// the numbers as the table's doubles read back (what a list read from storage holds already). The published link's
    /// detail has held this digest since it was first written, so its form does not change.
    /// </summary>
    public static string OfRatings(IEnumerable<RankedBranch> list) =>
        Prefix + Sha256Hex(JsonSerializer.Serialize(list
            .OrderBy(r => r.Rank).ThenBy(r => r.BranchId, StringComparer.Ordinal)
            .Select(r => new object[] { r.BranchId, AsStored(r.Score), AsStored(r.UnityShare), r.Rank, r.Level })));

    /// <summary>
    /// The content each link of an evaluation's chain must hold, recomputed from the evaluation's stored record: the link of
    /// the latest submission, of the latest review, of each score (the n-th county-scored link adds the n-th score), of the
    /// appraisal's count, and, once the evaluation is done, the result (the link at the record's Seq holds it; the link
    /// that ended the evaluation before a later joint veto holds it too, with the outcome before the veto). Links the
    /// record no longer holds the decision of (a submission a return superseded), links ahead of the record (written, not
    /// yet applied) and links that decide nothing are not listed. A joint veto turns a scored or not-evaluated outcome
    /// into vetoed, also after a link was written, so each outcome it may have turned is a candidate.
    /// </summary>
    public static IEnumerable<ExpectedContent> Expected(EvaluationRecord record, IReadOnlyList<AuditEntry> chain)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(chain);
        var links = chain.Where(l => l.Seq <= record.Seq).ToList();
        int lastSubmission = links.LastOrDefault(l => l.Action == HistoryActions.SelfAssessmentSubmitted)?.Seq ?? -1;
        int lastReview = links.LastOrDefault(l => ReviewActions.Contains(l.Action))?.Seq ?? -1;
        bool done = record.Stage == Stages.Done;
        string?[] outcomes = record.JointVeto is not null && record.Outcome == Outcomes.Vetoed
            ? [Outcomes.Vetoed, Outcomes.Scored, Outcomes.NotEvaluated]
            : [record.Outcome];
        int scores = 0;
        foreach (AuditEntry link in links)
        {
            var parts = new Parts();
            if (link.Action == HistoryActions.SelfAssessmentSubmitted)
            {
                if (link.Seq != lastSubmission) continue;
                if ((parts.Submission = record.Submission) is null) { yield return Missing(link, "submission"); continue; }
                parts.What.Add("submission");
            }
            else if (ReviewActions.Contains(link.Action))
            {
                if (link.Seq != lastReview) continue;
                if ((parts.Review = record.Review) is null) { yield return Missing(link, "review"); continue; }
                parts.What.Add("review");
            }
            else if (link.Action == HistoryActions.CountyScored)
            {
                int n = scores++;
                if (n >= record.Scores.Count) { yield return Missing(link, $"score {n + 1}"); continue; }
                parts.Score = record.Scores[n];
                parts.What.Add($"score {n + 1}");
            }
            else if (link.Action == HistoryActions.AppraisalClosed)
            {
                if ((parts.Appraisal = record.Appraisal) is null) { yield return Missing(link, "appraisal"); continue; }
                parts.What.Add("appraisal");
            }
            bool final = done && link.Seq == record.Seq;
            var candidates = new List<string>();
            if (!final && OfParts(parts.Submission, parts.Review, parts.Score, parts.Appraisal, null) is { } alone)
                candidates.Add(alone);
            // The link that ended the evaluation is the final one, unless a joint veto was recorded after the end.
            if (done && (final || record.JointVeto is not null))
            {
                candidates.AddRange(outcomes.Select(o => OfParts(parts.Submission, parts.Review, parts.Score, parts.Appraisal,
                    Result(o, record.FinalScore, record.UnityShare, record.Breakdown))!));
                if (final) parts.What.Add("result");
            }
            if (candidates.Count > 0)
                yield return new ExpectedContent(link.Seq, parts.What.Count > 0 ? string.Join(", ", parts.What) : "result", candidates);
        }
    }

    sealed class Parts
    {
        public SubmissionEntry? Submission { get; set; }
        public ReviewEntry? Review { get; set; }
        public ScoreEntry? Score { get; set; }
        public AppraisalResult? Appraisal { get; set; }
        public List<string> What { get; } = [];
    }

    static readonly HashSet<string> ReviewActions =
        [HistoryActions.TownshipApproved, HistoryActions.TownshipReturned, HistoryActions.TownshipRejected];

    /// <summary>A decision the link recorded that the record no longer holds: no digest can match.</summary>
    static ExpectedContent Missing(AuditEntry link, string what) => new(link.Seq, what, []);

    static decimal? AsStored(decimal? value) => value is { } v ? AsStored(v) : null;

    static decimal AsStored(decimal value) => (decimal)(double)value;

    /// <summary>Canonical JSON text of <paramref name="node"/> (see the class's summary).</summary>
    public static string Canonical(JsonNode? node)
    {
        var text = new StringBuilder();
        Write(node, text);
        return text.ToString();
    }

    static void Write(JsonNode? node, StringBuilder text)
    {
        switch (node)
        {
            case null:
                text.Append("null");
                break;
            case JsonObject o:
                text.Append('{');
                bool first = true;
                foreach (var (name, value) in o.Where(p => p.Value is not null).OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    if (!first) text.Append(',');
                    first = false;
                    text.Append(JsonSerializer.Serialize(name)).Append(':');
                    Write(value, text);
                }
                text.Append('}');
                break;
            case JsonArray a:
                text.Append('[');
                for (int i = 0; i < a.Count; i++)
                {
                    if (i > 0) text.Append(',');
                    Write(a[i], text);
                }
                text.Append(']');
                break;
            default:
                string raw = node.ToJsonString();
                text.Append(node.GetValueKind() == JsonValueKind.Number
                    && decimal.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out decimal d)
                    ? d.ToString("0.############################", CultureInfo.InvariantCulture)
                    : raw);
                break;
        }
    }

    /// <summary>What a link's content holds; members a link does not decide are null and left out.</summary>
    sealed record DecisionContent(SubmissionEntry? Submission, ReviewEntry? Review, ScoreEntry? Score, AppraisalResult? Appraisal,
        ResultContent? Result);
}

/// <summary>The final result of an evaluation, as its last link records it.</summary>
public sealed record ResultContent(string? Outcome, decimal? FinalScore, decimal? UnityShare, ScoreBreakdown? Breakdown);

/// <summary>The content a link must hold (any of <paramref name="Candidates"/>; none: the record lost the decision).</summary>
public sealed record ExpectedContent(int Seq, string What, IReadOnlyList<string> Candidates);
