namespace IntegrationSync.Shared.Contracts.Events;

/// <summary>Published by shard-manager when a shard is deleted (a soft delete: the shard reads back with status <c>deleted</c>).</summary>
[EventName(EventNames.ShardDeleted)]
public sealed record ShardDeleted(
    string? ShardId,
    string? ShardTypeId,
    string? ShardTypeName = null,
    string? OpportunityId = null,
    string? Id = null,
    string? TenantId = null) : IShardChange
{
    public string? EffectiveShardId => ShardId ?? Id;
}
