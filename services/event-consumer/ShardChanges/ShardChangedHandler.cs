using System.Text.Json.Nodes;
using IntegrationSync.Shared.Adapters;
using IntegrationSync.Shared.Contracts;
using IntegrationSync.Shared.Contracts.Commands;
using IntegrationSync.Shared.Contracts.Events;
using IntegrationSync.Shared.Hosting;
using IntegrationSync.Shared.Messaging;
using IntegrationSync.Shared.Peers;
using IntegrationSync.Shared.SyncState;
using Microsoft.Extensions.Options;

namespace IntegrationSync.EventConsumer.ShardChanges;

/// <summary>
/// The outbound side of bidirectional sync starts here, on <c>shard.updated</c> and <c>shard.deleted</c> (a soft delete:
/// the shard reads back deleted). A changed shard linked to an integration record (<see cref="ShardView.Link"/>) of an
/// integration that takes writes back is compared with the record's sync state: an update whose mapped fields are what
/// was last synced, or a deletion the state knows of already, is an echo (our own inbound mapping, or our own push) and
/// goes no further; so does a shard the inbound mapper just wrote whose record has no state yet. Otherwise the change is
/// stored on the record as pending, and the runner is asked to push it, once per burst: later changes before the push
/// only count on the pending change, and the push takes the shard as it is then. A created shard, and any shard of an
/// integration that takes no writes back, only teaches the record's link (<see cref="RecordLinks"/>).
/// </summary>
public sealed class ShardChangedHandler<TEvent>(
    ShardManagerClient shards, IntegrationManagerClient integrations, SyncRecordRepository records, RecordLinks links, IEventPublisher publisher,
    FleetMetrics metrics,
    IOptions<BidirectionalOptions> options, TimeProvider time, ILogger<ShardChangedHandler<TEvent>> logger) : IEventHandler<TEvent>
    where TEvent : IShardChange
{
    public async Task HandleAsync(EventContext<TEvent> context, CancellationToken cancellationToken)
    {
        var tenantId = context.TenantId(context.Data.TenantId)
            ?? throw new PermanentEventException($"{context.Envelope.Type} without a tenant (neither envelope nor data.tenantId)");
        var shardId = context.Data.EffectiveShardId
            ?? throw new PermanentEventException($"{context.Envelope.Type} without shardId or id");

        var (found, body) = await shards.FindShardAsync(tenantId, shardId, cancellationToken);
        if (!found || body is null)
        {
            logger.LogDebug(found ? "shard-manager answered {{}} for shard {ShardId}: nothing to compare" : "Shard {ShardId} is gone", shardId);
            return;
        }
        var shard = new ShardView(body);
        if (shard.Link() is not { } link
            || await integrations.GetIntegrationAsync(tenantId, link.IntegrationId, cancellationToken) is not { } integration)
        {
            logger.LogDebug("Shard {ShardId} is not linked to an integration we know; nothing to push", shardId);
            return;
        }
        var writeBack = WriteBack.Of(integration, options.Value.DefaultConflictResolution);
        var shardTypeId = shard.ShardTypeId ?? context.Data.ShardTypeId;
        var shardTypeName = shard.ShardTypeName ?? context.Data.ShardTypeName;
        if (EntityMapping.ForShardType(integration.SyncConfig, shardTypeId, shardTypeName) is not { } mapping)
        {
            return;
        }
        var entityType = mapping.ExternalEntity.ToLowerInvariant();
        if (context.Data is ShardCreated || !writeBack.AllowsWrites || !writeBack.AllowsShardType(shardTypeId, shardTypeName))
        {
            // Nothing to push: only which shard the vendor record became, so that its deletion at the vendor can reach it.
            await links.LinkAsync(tenantId, integration.Id, entityType, link.ExternalId, shard, shardId, shardTypeId, cancellationToken);
            return;
        }
        var state = await FindStateAsync(tenantId, integration.Id, entityType, shardId, link.ExternalId, cancellationToken);
        var values = mapping.FromShard(shard.StructuredData);
        if (state is { BaseHash: not null } ? IsSynced(state, shard, values) : WrittenByMapper(shard))
        {
            // The adapter as the runner resolves it: a closed set of metric labels, never a tenant's free text.
            metrics.OutboundPush(AdapterCatalog.For(integration.ProviderName).Name, "echo");
            await links.LinkAsync(tenantId, integration.Id, entityType, link.ExternalId, shard, shardId, shardTypeId, cancellationToken, state);
            return;
        }
        await RecordChangeAsync(context, tenantId, integration.Id, entityType, shardId, shardTypeId, link.ExternalId, state, cancellationToken);
    }

    /// <summary>The record's state: by its vendor id, or (not created at the vendor yet) by shard, following a created record to its vendor id.</summary>
    private async Task<SyncRecordDocument?> FindStateAsync(
        string tenantId, string integrationId, string entityType, string shardId, string? externalId, CancellationToken cancellationToken)
    {
        if (externalId is not null)
        {
            return await records.ReadAsync(tenantId, SyncRecordDocument.IdFor(tenantId, integrationId, entityType, externalId), cancellationToken);
        }
        var provisional = await records.ReadAsync(tenantId, SyncRecordDocument.IdForShard(tenantId, integrationId, entityType, shardId), cancellationToken);
        return provisional?.ExternalId is { } created
            ? await records.ReadAsync(tenantId, SyncRecordDocument.IdFor(tenantId, integrationId, entityType, created), cancellationToken) ?? provisional
            : provisional;
    }

    private static bool IsSynced(SyncRecordDocument state, ShardView shard, JsonObject values) =>
        shard.Deleted ? state.Deleted is not null : state.Deleted is null && state.BaseHash == CanonicalJson.Hash(values);

    /// <summary>Written by integration-processors from a vendor record: its <c>metadata.syncedAt</c> is the time of this very update.</summary>
    private bool WrittenByMapper(ShardView shard) =>
        shard.SyncedAt is { } synced && shard.UpdatedAt is { } updated && (updated - synced).Duration() <= TimeSpan.FromMilliseconds(options.Value.MapperWindowMs);

    private async Task RecordChangeAsync(
        EventContext<TEvent> context, string tenantId, string integrationId, string entityType, string shardId, string? shardTypeId, string? externalId,
        SyncRecordDocument? state, CancellationToken cancellationToken)
    {
        var eventId = context.Envelope.Id;
        var now = IsoTime.Format(time.GetUtcNow());
        var id = state?.Id ?? (externalId is null
            ? SyncRecordDocument.IdForShard(tenantId, integrationId, entityType, shardId)
            : SyncRecordDocument.IdFor(tenantId, integrationId, entityType, externalId));
        var ask = false;
        var stored = await records.ChangeAsync(tenantId, id, current =>
        {
            if (current?.Pending is { FailedAt: null } pending)
            {
                // A burst: the push to come takes the shard as it is then. The event that started it may be redelivered: ask again.
                ask = pending.EventId == eventId && pending.Changes == 1;
                return pending.EventId == eventId ? null : current with
                {
                    Pending = pending with { LastChangedAt = now, Changes = pending.Changes + 1, EventId = eventId }, UpdatedAt = now,
                };
            }
            ask = true;
            return (current ?? new SyncRecordDocument
            {
                Id = id, TenantId = tenantId, IntegrationId = integrationId, EntityType = entityType, ExternalId = externalId, CreatedAt = now,
            }) with
            {
                ShardId = shardId, ShardTypeId = shardTypeId ?? current?.ShardTypeId, Pending = new PendingChange(now, now, 1, eventId), UpdatedAt = now,
            };
        }, cancellationToken) ?? state;
        if (ask && stored is not null)
        {
            await publisher.PublishAsync(new SyncOutbound(shardId, integrationId, stored.ExternalId, stored.ShardTypeId, now, stored.Id, entityType),
                tenantId, cancellationToken: cancellationToken);
        }
    }
}
