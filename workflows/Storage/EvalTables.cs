using Azure.Data.Tables;

namespace Eval.Workflows.Storage;

/// <summary>
/// The tables the project writes (docs/storage.md describes each). One instance per process: table clients are
/// thread-safe and cheap to keep, and tables are created once at start-up, not on every request.
/// </summary>
public sealed class EvalTables(TableServiceClient service, StorageOptions options)
{
    public const string Units = "Units";
    public const string Campaigns = "Campaigns";
    public const string Evaluations = "Evaluations";
    public const string ProposedRatings = "ProposedRatings";
    public const string Ratings = "Ratings";
    public const string Objections = "Objections";
    public const string Audit = "Audit";
    public const string IdempotencyKeys = "IdempotencyKeys";
    public const string SelfTests = "SelfTests";
    public const string Evidence = "Evidence";
    public const string Appraisals = "Appraisals";
    public const string Honours = "Honours";
    public const string Statements = "Statements";
    public const string HonourChanges = "HonourChanges";
    public const string Notifications = "Notifications";
    public const string Reminders = "Reminders";
    public const string Inbox = "Inbox";
    public const string Subscriptions = "Subscriptions";
    public const string Deliveries = "Deliveries";

    public static readonly IReadOnlyList<string> All =
        [Units, Campaigns, Evaluations, ProposedRatings, Ratings, Objections, Audit, IdempotencyKeys, SelfTests, Evidence, Appraisals,
        Honours, Statements, HonourChanges, Notifications, Reminders, Inbox, Subscriptions, Deliveries];

    public TableServiceClient Service { get; } = service;

    public TableClient Table(string logicalName) => Service.GetTableClient(options.TablePrefix + logicalName);

    public async Task EnsureCreatedAsync(CancellationToken cancellationToken = default)
    {
        foreach (string name in All)
            await Table(name).CreateIfNotExistsAsync(cancellationToken);
    }
}
