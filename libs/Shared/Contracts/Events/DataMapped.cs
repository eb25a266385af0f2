namespace IntegrationSync.Shared.Contracts.Events;

[EventName(EventNames.DataMapped)]
public sealed record DataMapped(
    string? IntegrationId,
    string? TenantId,
    string? ShardId,
    string? ExternalId,
    string? SyncTaskId,
    string? IdempotencyKey,
    string? CorrelationId,
    bool Success = true,
    double? Duration = null,
    bool? Created = null,
    string? CreatedAt = null,
    string? UpdatedAt = null);
