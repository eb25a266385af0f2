namespace IntegrationSync.Shared.Contracts.Events;

[EventName(EventNames.TokenRefreshed)]
public sealed record TokenRefreshed(string ConnectionId, string IntegrationId, string RefreshedAt);
