namespace IntegrationSync.Shared.Contracts.Commands;

/// <summary>Work for the runner: push one changed shard to the external system.</summary>
[EventName(EventNames.SyncOutbound, Mandatory = true)]
public sealed record SyncOutbound(string ShardId, string IntegrationId, string? ExternalId, string? ShardTypeId, string ChangedAt);
