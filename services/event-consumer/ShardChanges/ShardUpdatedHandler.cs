using System.Text.Json.Nodes;
using IntegrationSync.Shared.Contracts;
using IntegrationSync.Shared.Contracts.Events;
using IntegrationSync.Shared.Messaging;
using IntegrationSync.Shared.Peers;

namespace IntegrationSync.EventConsumer.ShardChanges;

/// <summary>
/// Records that a shard linked to an integration record changed, for the outbound side of bidirectional
/// sync to push. Shards that came from no integration are not ours to push and are ignored.
/// </summary>
public sealed class ShardUpdatedHandler(ShardManagerClient shards, ShardChangeRepository changes, ILogger<ShardUpdatedHandler> logger)
    : IEventHandler<ShardUpdated>
{
    public async Task HandleAsync(EventContext<ShardUpdated> context, CancellationToken cancellationToken)
    {
        var tenantId = context.TenantId(context.Data.TenantId)
            ?? throw new PermanentEventException("shard.updated without a tenant (neither envelope nor data.tenantId)");
        var shardId = context.Data.EffectiveShardId
            ?? throw new PermanentEventException("shard.updated without shardId or id");

        var shard = await shards.GetShardAsync(tenantId, shardId, cancellationToken);
        var metadata = shard?["metadata"] as JsonObject;
        var integrationId = Text(metadata, "integrationId") ?? Text(metadata, "externalSource");
        if (integrationId is null)
        {
            logger.LogDebug("Shard {ShardId} is not linked to an integration; nothing to push", shardId);
            return;
        }

        var changedAt = IsoTime.Format(DateTimeOffset.UtcNow);
        await changes.RecordAsync(new ShardChangeDocument
        {
            Id = ShardChangeDocument.IdFor(shardId),
            TenantId = tenantId,
            ShardId = shardId,
            IntegrationId = integrationId,
            ExternalId = Text(metadata, "externalId"),
            ShardTypeId = context.Data.ShardTypeId ?? Text(shard, "shardTypeId"),
            LastEventId = context.Envelope.Id,
            FirstChangedAt = changedAt,
            LastChangedAt = changedAt,
        }, cancellationToken);
    }

    private static string? Text(JsonObject? node, string name) =>
        node?[name] is JsonValue value && value.TryGetValue<string>(out var text) && text.Length > 0 ? text : null;
}
