namespace IntegrationSync.Shared.Contracts.Events;

/// <summary>Published by integration-manager just before it deletes the integration.</summary>
[EventName(EventNames.IntegrationDeleted)]
public sealed record IntegrationDeleted(string IntegrationId, string? TenantId);
