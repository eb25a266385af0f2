namespace IntegrationSync.Shared.Contracts.Events;

/// <summary>Published by integration-manager on every change of an integration (its status included).</summary>
[EventName(EventNames.IntegrationUpdated)]
public sealed record IntegrationUpdated(string IntegrationId, string? TenantId, string? UpdatedAt);
