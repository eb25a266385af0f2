namespace IntegrationSync.Shared.Contracts.Events;

[EventName(EventNames.SyncScheduled)]
public sealed record SyncScheduled(string IntegrationId, string? TenantId, string? Trigger, string? ScheduledAt);
