namespace IntegrationSync.Shared.Contracts.Events;

[EventName(EventNames.TokenRefreshFailed)]
public sealed record TokenRefreshFailed(string ConnectionId, string IntegrationId, string Error, string FailedAt);
