namespace IntegrationSync.Shared.Contracts.Events;

[EventName(EventNames.SyncStarted)]
public sealed record SyncStarted(string TaskId, string IntegrationId, string Direction, string? ExecutionId = null);
