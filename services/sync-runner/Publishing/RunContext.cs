using System.Text.Json.Nodes;

namespace IntegrationSync.SyncRunner.Publishing;

/// <summary>The identity of one execution as the raw-data events carry it.</summary>
public sealed record RunContext(
    string TenantId, string IntegrationId, string TaskId, string ExecutionId, string EntityType, string Direction, JsonObject? Filters)
{
    public string IdempotencyKey(string externalId) => $"{IntegrationId}-{externalId}-{TaskId}";

    public Execution.RunKey Key => new(TenantId, IntegrationId, EntityType);
}
