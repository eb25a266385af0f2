namespace IntegrationSync.Shared.Contracts.Events;

[EventName(EventNames.TokenRefreshRequested, Mandatory = true)]
public sealed record TokenRefreshRequested(
    string ConnectionId,
    string IntegrationId,
    string? TenantId,
    string? ExpiresAt,
    string? RequestedAt);
