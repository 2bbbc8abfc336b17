using Azure.Data.Tables;
using Eval.Application;
using Eval.Application.Appraisals;
using Eval.Application.Audit;
using Eval.Application.Campaigns;
using Eval.Application.Evidence;
using Eval.Application.Exports;
using Eval.Application.Honours;
using Eval.Application.Inbox;
using Eval.Application.Notifications;
using Eval.Application.Objections;
using Eval.Application.Ratings;
using Eval.Application.Rehearsals;
using Eval.Application.SelfTests;
using Eval.Application.Statistics;
using Eval.Application.Units;
using Eval.Api.Auth;
using Eval.Api.Handlers;
using Eval.Application.Evaluations;
using Eval.Api.Http;
using Eval.Workflows;
using Eval.Workflows.Keys;
using Eval.Workflows.Notifications;
using Eval.Workflows.Outbox;
using Eval.Workflows.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Eval.Api;

/// <summary>The wiring both hosts share: storage, handlers, and the activity classes the workflows run.</summary>
public static class EvalApiServices
{
    public static IServiceCollection AddEvalApi(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(configuration.GetSection(StorageOptions.Section).Get<StorageOptions>() ?? new StorageOptions());
        services.AddSingleton(configuration.GetSection(OutboxOptions.Section).Get<OutboxOptions>() ?? new OutboxOptions());
        services.AddSingleton(configuration.GetSection(WorkflowOptions.Section).Get<WorkflowOptions>() ?? new WorkflowOptions());
        services.AddSingleton(configuration.GetSection(ObjectionOptions.Section).Get<ObjectionOptions>() ?? new ObjectionOptions());
        services.AddSingleton(configuration.GetSection(EvidenceOptions.Section).Get<EvidenceOptions>() ?? new EvidenceOptions());
        services.AddSingleton(configuration.GetSection(InboxOptions.Section).Get<InboxOptions>() ?? new InboxOptions());
        services.AddSingleton(configuration.GetSection(UnitImportOptions.Section).Get<UnitImportOptions>() ?? new UnitImportOptions());
        NotificationOptions notifications =
            configuration.GetSection(NotificationOptions.Section).Get<NotificationOptions>() ?? new NotificationOptions();
        if (notifications.AllowPrivateTargets && new TokenModeGuard(sampleSigningKeyAllowed: false).RunsInAzure)
            throw new InvalidOperationException("Setting 'Notifications:AllowPrivateTargets' (Notifications__AllowPrivateTargets) is " +
                "for local development: in Azure it would let a subscription reach the app's own network. Remove it.");
        services.AddSingleton(notifications);
        KeyOptions keys = configuration.GetSection(KeyOptions.Section).Get<KeyOptions>() ?? new KeyOptions();
        if (string.IsNullOrWhiteSpace(keys.VaultKeyId) && new TokenModeGuard(sampleSigningKeyAllowed: false).RunsInAzure)
            throw new InvalidOperationException("Setting 'Keys:VaultKeyId' (Keys__VaultKeyId) must be set in Azure: the published " +
                "lists are signed with the Key Vault key it names, never with a key file on the app's disk.");
        services.AddSingleton(keys);
        services.AddSingleton(new LocalKeyDirectory(keys.Directory));
        // Made on first use: in Azure the vault's key through the app's identity, else the local key file.
        services.AddSingleton<StatementSigner>(sp => keys.VaultKeyId is { Length: > 0 } vaultKey
            ? new VaultStatementSigner(new Uri(vaultKey), VaultCredential(configuration))
            : new LocalStatementSigner(sp.GetRequiredService<LocalKeyDirectory>()));
        services.AddSingleton(OutboxBindingStartupCheck.Create);
        services.AddHostedService<OutboxBindingStartupCheck>();
        services.AddSingleton<AcceptedActionRelay>();
        services.AddSingleton(_ => CreateTableService(configuration));
        services.AddSingleton(_ => StorageConnection.Read(configuration).CreateBlobServiceClient());
        services.AddSingleton(_ => StorageConnection.Read(configuration).CreateQueueServiceClient(NotificationQueues.ClientOptions()));
        services.AddSingleton<EvalTables>();
        services.AddSingleton<EvidenceStore>();
        services.AddSingleton<AppraisalStore>();
        services.AddSingleton<EvidenceBlobs>();
        services.AddSingleton<UnitStore>();
        services.AddSingleton<CampaignStore>();
        services.AddSingleton<EvaluationStore>();
        services.AddSingleton<RankingReader>();
        services.AddSingleton<RatingStore>();
        services.AddSingleton<ProposedList>();
        services.AddSingleton<ObjectionStore>();
        services.AddSingleton<AuditStore>();
        services.AddSingleton<AuditVerifier>();
        services.AddSingleton<HonourStore>();
        services.AddSingleton<StatementStore>();
        services.AddSingleton<HonourChangeStore>();
        services.AddSingleton<InboxIndex>();
        services.AddSingleton<InboxReader>();
        services.AddSingleton<InboxQueries>();
        services.AddSingleton<InboxHandlers>();
        services.AddSingleton<StatementIssuer>();
        services.AddSingleton<StatementVerifier>();
        services.AddSingleton<StatementQueries>();
        services.AddSingleton<StatementHandlers>();
        services.AddSingleton(_ => PublicAddress.From(configuration[$"{PublicOptions.Section}:{nameof(PublicOptions.BaseUrl)}"],
                configuration["WEBSITE_HOSTNAME"])
            ?? throw new InvalidOperationException("Set Public__BaseUrl: the address the plaques' QR codes point at."));
        services.AddNotifications();
        services.AddSingleton<HonourQueries>();
        services.AddSingleton<HonourHandlers>();
        services.AddSingleton<HonourChangeCommands>();
        services.AddSingleton<HonourChangeQueries>();
        services.AddSingleton<HonourChangeHandlers>();
        services.AddEvalAuth(configuration);
        services.AddSingleton<CampaignAccess>();
        services.AddSingleton<EvaluationSteps>();
        services.AddSingleton<EvaluationQueries>();
        services.AddSingleton<JointVetoCommands>();
        services.AddSingleton<SupervisionCommands>();
        services.AddSingleton<SupervisionHandlers>();
        services.AddSingleton(configuration.GetSection(ReminderOptions.Section).Get<ReminderOptions>() ?? new ReminderOptions());
        services.AddSingleton<NotificationOutbox>();
        services.AddSingleton<ReminderStore>();
        services.AddSingleton<ReminderScheduler>();
        services.AddSingleton<StepNotifier>();
        services.AddSingleton<ReminderSweep>();
        services.AddSingleton<RehearsalCommands>();
        services.AddSingleton<CampaignCommands>();
        services.AddSingleton<CampaignQueries>();
        services.AddSingleton<ObjectionCommands>();
        services.AddSingleton<ObjectionQueries>();
        services.AddSingleton<UnitCommands>();
        services.AddSingleton<UnitQueries>();
        services.AddSingleton<RatingQueries>();
        services.AddSingleton<AuditQueries>();
        services.AddSingleton<SelfTestCommands>();
        services.AddSingleton<SelfTestQueries>();
        services.AddSingleton<EvidenceCommands>();
        services.AddSingleton<EvidenceQueries>();
        services.AddSingleton<AppraisalCommands>();
        services.AddSingleton<AppraisalQueries>();
        services.AddSingleton<StageCounter>();
        services.AddSingleton<UnitNames>();
        services.AddSingleton<StatisticsQueries>();
        services.AddSingleton<ExportQueries>();
        services.AddSingleton<ReportHandlers>();
        services.AddSingleton<Idempotency>();
        services.AddSingleton<HealthHandler>();
        services.AddSingleton<SelfTestHandlers>();
        services.AddSingleton<UnitHandlers>();
        services.AddSingleton<CampaignHandlers>();
        services.AddSingleton<EvaluationHandlers>();
        services.AddSingleton<ObjectionHandlers>();
        services.AddSingleton<RatingHandlers>();
        services.AddSingleton<SchemaHandlers>();
        services.AddSingleton<AuditHandlers>();
        services.AddSingleton<EvidenceHandlers>();
        services.AddSingleton<AppraisalHandlers>();
        foreach (Type activity in WorkflowCatalog.Activities.Values) services.AddTransient(activity);
        return services;
    }

    /// <summary>
    /// Notifications and their delivery to webhook subscriptions (docs/notifications.md): the outbox others write to, the
    /// subscriptions, the dispatcher both hosts run, and the API's commands and queries.
    /// </summary>
    static void AddNotifications(this IServiceCollection services)
    {
        services.AddSingleton<NotificationQueues>();
        services.AddSingleton<NotificationOutbox>();
        services.AddSingleton(sp => new SecretSealer(sp.GetRequiredService<OutboxBinding>()));
        services.AddSingleton<SubscriptionStore>();
        services.AddSingleton<DeliveryStore>();
        services.AddSingleton(sp => new WebhookTargets(sp.GetRequiredService<NotificationOptions>()));
        services.AddSingleton<WebhookSender>();
        services.AddSingleton(sp =>
            new WebhookSource(new Uri(sp.GetRequiredService<PublicAddress>().Base + "/" + Endpoints.EvalApi.Prefix)));
        services.AddSingleton<NotificationDispatcher>();
        services.AddSingleton<SubscriptionCommands>();
        services.AddSingleton<SubscriptionQueries>();
        services.AddSingleton<SubscriptionHandlers>();
    }

    /// <summary>The app's identity, as storage uses it; developer sign-ins where storage has a connection string.</summary>
    static Azure.Core.TokenCredential VaultCredential(IConfiguration configuration) =>
        StorageConnection.Read(configuration) is { IsIdentityBased: true } identity
            ? identity.CreateCredential() : new Azure.Identity.DefaultAzureCredential();

    /// <summary>A connection string (Azurite) or the identity-based form (Azure); see <see cref="StorageConnection"/>.</summary>
    static TableServiceClient CreateTableService(IConfiguration configuration) =>
        StorageConnection.Read(configuration).CreateTableServiceClient();
}
