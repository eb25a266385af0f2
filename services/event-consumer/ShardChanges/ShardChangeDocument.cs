using IntegrationSync.Shared.Storage;

namespace IntegrationSync.EventConsumer.ShardChanges;

/// <summary>
/// A Castiel shard linked to an integration record changed and its change is not yet pushed outbound
/// (container <c>integration_sync_state</c>). Repeated changes coalesce into one document per shard.
/// </summary>
public sealed record ShardChangeDocument : CosmosDocument
{
    public const string DocType = "shard_change";

    public override string Type { get; init; } = DocType;
    public required string ShardId { get; init; }
    public required string IntegrationId { get; init; }
    public string? ExternalId { get; init; }
    public string? ShardTypeId { get; init; }
    public int Changes { get; init; }
    public string? LastEventId { get; init; }
    public string? FirstChangedAt { get; init; }
    public string? LastChangedAt { get; init; }
    public string Status { get; init; } = PendingOutbound;

    public const string PendingOutbound = "pending_outbound";

    public static string IdFor(string shardId) => $"shard-change-{shardId}";
}
