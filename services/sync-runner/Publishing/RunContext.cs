using System.Text.Json.Nodes;
using IntegrationSync.Shared.Contracts.Events;
using IntegrationSync.Shared.Sync;

namespace IntegrationSync.SyncRunner.Publishing;

/// <summary>The identity of one execution as the raw-data events carry it.</summary>
public sealed record RunContext(
    string TenantId, string IntegrationId, string TaskId, string ExecutionId, string EntityType, string Direction, JsonObject? Filters)
{
    public const string DefaultEntityType = "opportunity";

    /// <summary>The run of a task (its one execution), with the original's default entity type.</summary>
    public static RunContext Of(SyncTaskDocument task) => new(
        task.TenantId, task.IntegrationId ?? "", task.Id, WorkMessages.ExecutionIdFor(task.Id),
        task.EntityType is { Length: > 0 } entityType ? entityType : DefaultEntityType, task.Direction ?? SyncDirection.Inbound, task.Filters)
    {
        Trigger = task.RequestedBy is "scheduler" or "webhook" ? task.RequestedBy : "api",
    };

    /// <summary>What asked for the run, as a metric label: <c>api</c>, <c>scheduler</c> or <c>webhook</c>.</summary>
    public string Trigger { get; init; } = "api";

    /// <summary>The integration's <c>providerName</c> in integration-manager, once the run has read the integration.</summary>
    public string? ProviderName { get; init; }

    /// <summary>What a non-CRM record without an <c>integrationSource</c> of its own says it came from.</summary>
    public string IntegrationSource => ProviderName ?? IntegrationId;

    public RawRecordMetadata RecordMetadata { get; } = new(Direction, Filters);

    public string IdempotencyKey(string externalId) => $"{IntegrationId}-{externalId}-{TaskId}";

    public Execution.RunKey Key => new(TenantId, IntegrationId, EntityType);
}
