namespace IntegrationSync.Shared.Contracts.Events;

/// <summary>Published by shard-manager; <c>id</c> is the fallback when <c>shardId</c> is absent.</summary>
[EventName(EventNames.ShardUpdated)]
public sealed record ShardUpdated(
    string? ShardId,
    string? ShardTypeId,
    string? ShardTypeName = null,
    string? OpportunityId = null,
    string? Id = null,
    string? TenantId = null) : IShardChange
{
    public string? EffectiveShardId => ShardId ?? Id;
}
