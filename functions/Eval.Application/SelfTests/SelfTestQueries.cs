using Azure;
using Azure.Data.Tables;
using Eval.Workflows.Activities;
using Eval.Workflows.Domain;
using Eval.Workflows.Storage;

namespace Eval.Application.SelfTests;

/// <summary>A self-test's row in table SelfTests.</summary>
public sealed record SelfTestView(string Id, string? Status, string? RequestedBy, DateTimeOffset? Deadline,
    string? ConfirmedBy, DateTimeOffset? At);

/// <summary>Reading a self-test back from table SelfTests, where its orchestration records where it stands.</summary>
public sealed class SelfTestQueries(EvalTables tables)
{
    public async Task<Result<SelfTestView>> GetAsync(Caller caller, string id, CancellationToken ct)
    {
        if (NotAnOperator(caller) is { } refused) return refused;
        if (await RowAsync(id, ct) is not { } e) return Problem.NotFound($"No self-test '{id}'.");
        return new SelfTestView(id, e.GetString("Status"), e.GetString("RequestedBy"), e.GetDateTimeOffset("Deadline"),
            e.GetString("ConfirmedBy"), e.GetDateTimeOffset("At"));
    }

    /// <summary>Self-tests start orchestrations, so only the organization department (the operators) may run them.</summary>
    internal static Problem? NotAnOperator(Caller caller) =>
        caller.HasRole(Roles.OrgDepartment) ? null : Problem.Forbidden("Self-tests are for the organization department.");

    /// <summary>The self-test's row; null for an id this API never gave, without asking the table.</summary>
    internal async Task<TableEntity?> RowAsync(string id, CancellationToken ct)
    {
        if (!IsSelfTestId(id)) return null;
        NullableResponse<TableEntity> row = await tables.Table(EvalTables.SelfTests)
            .GetEntityIfExistsAsync<TableEntity>(RecordSelfTestActivity.PartitionKey, id, cancellationToken: ct);
        return row.HasValue ? row.Value : null;
    }

    // Ids are ours ("selftest-" + 32 hex digits); anything else cannot exist and must not reach a table key.
    static bool IsSelfTestId(string id) => id.Length == 41 && id.StartsWith("selftest-", StringComparison.Ordinal)
        && id.AsSpan(9).ContainsAnyExcept("0123456789abcdef") == false;
}
