namespace IntegrationSync.Shared.Contracts.Events;

/// <summary>What shard-manager's shard events carry (reference §2.4): the shard, its type, and the tenant when the envelope has none.</summary>
public interface IShardChange
{
    string? ShardTypeId { get; }
    string? ShardTypeName { get; }
    string? TenantId { get; }

    /// <summary><c>shardId</c>, else <c>id</c>.</summary>
    string? EffectiveShardId { get; }
}
