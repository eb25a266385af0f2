namespace IntegrationSync.Shared.Contracts.Events;

[EventName(EventNames.TokenRefreshRequested)]
public sealed record TokenRefreshRequested(
    string ConnectionId,
    string IntegrationId,
    string? TenantId,
    string? ExpiresAt,
    string? RequestedAt);
