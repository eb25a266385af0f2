namespace IntegrationSync.Shared.Contracts.Events;

[EventName(EventNames.DataSynced)]
public sealed record DataSynced(string ShardId, string Direction, string IntegrationId);
