using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using IntegrationSync.CastielPeers.Shards;
using IntegrationSync.Shared.Contracts;
using IntegrationSync.Shared.Contracts.Events;
using IntegrationSync.Shared.Messaging;
using IntegrationSync.Shared.SyncState;
using Microsoft.Extensions.Options;

namespace IntegrationSync.CastielPeers.Mapper;

/// <summary>
/// Answers each raw record the way integration-processors' <c>CRMDataMappingConsumer</c> does (reference §2.4). When the
/// integration maps the entity type, the record becomes a shard through the shard-manager stand-in, as the real consumer
/// writes it: mapped fields as <c>structuredData</c>; on create <c>metadata {integrationId, externalId, externalSource,
/// syncedAt}</c>, <c>source: integration</c> and <c>sourceDetails</c> (shard-manager publishes <c>shard.created</c>); on
/// update the shard found by <c>metadata.externalId</c> gets the mapped fields and <c>metadata.syncedAt</c>
/// (<c>shard.updated</c>). A record processed before (same idempotency key) is answered again without a second write.
/// </summary>
public sealed class StandInMapper(IEventPublisher publisher, PeerStore store, ShardBook shards, IOptions<MapperOptions> options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, string> _seen = new();

    public async Task MapAsync(string tenantId, string integrationId, string syncTaskId, string correlationId, string entityType,
        string externalId, JsonNode? rawData, string idempotencyKey, CancellationToken cancellationToken)
    {
        if (Fails(idempotencyKey))
        {
            await Copies(() => publisher.PublishAsync(
                new DataMappingFailed(integrationId, tenantId, externalId, syncTaskId, idempotencyKey, correlationId,
                    "Stand-in mapper: simulated mapping failure"),
                tenantId, cancellationToken: cancellationToken));
            return;
        }
        var first = !_seen.ContainsKey(idempotencyKey);
        var (shardId, created) = first ? await WriteShardAsync(tenantId, integrationId, entityType, externalId, rawData, cancellationToken) : (null, false);
        shardId = _seen.GetOrAdd(idempotencyKey, shardId ?? $"shard-{externalId}");
        var now = IsoTime.Format(time.GetUtcNow());
        await Copies(() => publisher.PublishAsync(
            new DataMapped(integrationId, tenantId, shardId, externalId, syncTaskId, idempotencyKey, correlationId,
                Success: true, Duration: 1, Created: first && created, CreatedAt: first && created ? now : null, UpdatedAt: first && created ? null : now),
            tenantId, cancellationToken: cancellationToken));
    }

    /// <summary>The shard of a record of a mapped entity type, created or updated; null when the integration maps no such entity type.</summary>
    private async Task<(string? ShardId, bool Created)> WriteShardAsync(
        string tenantId, string integrationId, string entityType, string externalId, JsonNode? rawData, CancellationToken cancellationToken)
    {
        if (!store.Integrations.TryGetValue(integrationId, out var integration)
            || EntityMapping.ForEntity(integration["syncConfig"] as JsonObject ?? [], entityType) is not { } mapping)
        {
            return (null, true);
        }
        var structuredData = mapping.ToShard(rawData as JsonObject ?? []);
        var syncedAt = IsoTime.Format(time.GetUtcNow());
        if (shards.FindByExternalId(tenantId, integrationId, mapping.ShardTypeId, externalId) is { } existing)
        {
            var metadata = (existing["metadata"] as JsonObject)?.DeepClone().AsObject() ?? [];
            metadata["integrationId"] = integrationId;
            metadata["externalId"] = externalId;
            metadata["syncedAt"] = syncedAt;
            var id = (string)existing["id"]!;
            await shards.UpdateAsync(tenantId, id, new JsonObject { ["structuredData"] = structuredData, ["metadata"] = metadata }, cancellationToken);
            return (id, false);
        }
        var shard = await shards.CreateAsync(tenantId, new JsonObject
        {
            ["userId"] = $"system:integration:{integrationId}", ["shardTypeId"] = mapping.ShardTypeId, ["structuredData"] = structuredData,
            ["metadata"] = new JsonObject { ["integrationId"] = integrationId, ["externalId"] = externalId, ["externalSource"] = integrationId, ["syncedAt"] = syncedAt },
            ["source"] = "integration", ["sourceDetails"] = new JsonObject { ["integrationId"] = integrationId, ["externalId"] = externalId },
        }, cancellationToken);
        return ((string)shard["id"]!, true);
    }

    private Task Copies(Func<Task> publish) => Task.WhenAll(Enumerable.Range(0, options.Value.Copies).Select(_ => publish()));

    public bool Fails(string idempotencyKey) =>
        options.Value.FailureRate > 0
        && BitConverter.ToUInt32(SHA256.HashData(Encoding.UTF8.GetBytes(idempotencyKey)), 0) / (double)uint.MaxValue < options.Value.FailureRate;
}

public sealed class DataRawHandler(StandInMapper mapper) : IEventHandler<DataRaw>
{
    public Task HandleAsync(EventContext<DataRaw> context, CancellationToken cancellationToken)
    {
        var d = context.Data;
        return mapper.MapAsync(d.TenantId, d.IntegrationId, d.SyncTaskId, d.CorrelationId, d.EntityType, d.ExternalId, d.RawData, d.IdempotencyKey, cancellationToken);
    }
}

public sealed class DataRawBatchHandler(StandInMapper mapper) : IEventHandler<DataRawBatch>
{
    public Task HandleAsync(EventContext<DataRawBatch> context, CancellationToken cancellationToken)
    {
        var d = context.Data;
        return Task.WhenAll(d.Records.Select(r =>
            mapper.MapAsync(d.TenantId, d.IntegrationId, d.SyncTaskId, d.CorrelationId, d.EntityType, r.ExternalId, r.RawData, r.IdempotencyKey, cancellationToken)));
    }
}

/// <summary>The non-CRM processors of integration-processors: they take their records and, as the real ones, report nothing back.</summary>
public sealed class ProcessorSink<TEvent> : IEventHandler<TEvent>
{
    public Task HandleAsync(EventContext<TEvent> context, CancellationToken cancellationToken) => Task.CompletedTask;
}
