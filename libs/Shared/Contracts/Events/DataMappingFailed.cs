namespace IntegrationSync.Shared.Contracts.Events;

[EventName(EventNames.DataMappingFailed)]
public sealed record DataMappingFailed(
    string? IntegrationId,
    string? TenantId,
    string? ExternalId,
    string? SyncTaskId,
    string? IdempotencyKey,
    string? CorrelationId,
    string? Error,
    int RetryAttempt = 0);
