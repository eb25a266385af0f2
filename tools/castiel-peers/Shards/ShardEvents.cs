using IntegrationSync.Shared.Contracts;

namespace IntegrationSync.CastielPeers.Shards;

/// <summary>shard-manager's <c>shard.created</c> (the fleet does not consume it; published as the real one does).</summary>
[EventName("shard.created")]
public sealed record ShardCreated(string ShardId, string? ShardTypeId, string? ShardTypeName = null, string? OpportunityId = null);
