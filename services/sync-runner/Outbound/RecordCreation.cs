using System.Text.Json.Nodes;
using IntegrationSync.Shared.Contracts.Events;
using IntegrationSync.Shared.Messaging;
using IntegrationSync.Shared.Peers;
using IntegrationSync.Shared.SyncState;
using IntegrationSync.SyncRunner.Adapters;
using Microsoft.Extensions.Options;

namespace IntegrationSync.SyncRunner.Outbound;

/// <summary>
/// Creates a Castiel record at the vendor: an upsert keyed by the shard id where the integration names an external-id
/// field, so a create repeated after a crash finds the record instead of making a second (Heroku Connect's duplicate
/// failure). Without one, the create is sent once and its intent recorded first: a later attempt that finds the intent
/// refuses to create again and names the record for a person to check. Afterwards the record's state
/// lives under its vendor id, the earlier state points there, and the shard is linked (<c>metadata.externalId</c>).
/// </summary>
public sealed class RecordCreation(
    SyncRecordRepository records, RecordStates states, ShardManagerClient shards, IEventPublisher publisher, IOptions<BidirectionalOptions> options)
{
    public const string UnknownOutcome = "a create was sent before without a known outcome; check the vendor for a duplicate, then set the shard's metadata.externalId";

    public async Task CreateAsync(PushContext c, JsonObject values, string? replaced, CancellationToken cancellationToken)
    {
        var (fields, notWritable) = c.Mapping.ToVendor(values, c.Mapping.Fields.Where(f => values.ContainsKey(f.ShardField)).Select(f => f.ShardField));
        if (!Upserts(c.Target))
        {
            if (c.Record.LastWrite is { IsIntent: true })
            {
                throw new AdapterException(AdapterErrorKind.Permanent, UnknownOutcome);
            }
            await states.SaveAsync(c.Record, r => r with { LastWrite = OutboundWrite.CreateIntent(states.Now()) }, clearPending: false, cancellationToken);
        }
        var written = await c.Target.Adapter.WriteAsync(new AdapterWriteRequest(c.Target.Connection, c.Record.EntityType, null, fields, null,
            c.Record.ShardId, options.Value.WriterTag), cancellationToken);
        var vendorSide = values.DeepClone().AsObject();
        foreach (var field in notWritable)
        {
            vendorSide.Remove(field);
        }
        var now = states.Now();
        var version = written.Version ?? "hash-" + CanonicalJson.Hash(vendorSide);
        var write = new OutboundWrite(Guid.NewGuid().ToString(), written.Version, CanonicalJson.Hash(vendorSide), now, Created: true);
        var id = SyncRecordDocument.IdFor(c.TenantId, c.Target.Integration.Id, c.Record.EntityType, written.ExternalId);
        await records.ChangeAsync(c.TenantId, id, current => RecordStates.Synced(current ?? c.Record with
        {
            Id = id, ETag = null, ExternalId = written.ExternalId, Pending = null, OpenConflictId = null, CreatedAt = now,
        }, vendorSide, version, null, "outbound", now, write) with
        {
            NotWritable = notWritable.Count > 0 ? [.. notWritable] : null,
        }, cancellationToken);
        await states.SaveAsync(c.Record, r => r with
        {
            ExternalId = written.ExternalId,
            LastWrite = write,
            Deleted = replaced is null ? r.Deleted : new Tombstone(Tombstone.External, now),
            LastError = null,
            UpdatedAt = now,
        }, clearPending: true, cancellationToken);
        await shards.UpdateShardAsync(c.TenantId, c.Record.ShardId!, c.ShardUpdate(now, written.ExternalId), cancellationToken);
        await publisher.PublishAsync(new DataSynced(c.Record.ShardId ?? "", "outbound", c.Target.Integration.Id, written.ExternalId, written.Version,
            c.Record.EntityType, "created"), c.TenantId, cancellationToken: cancellationToken);
    }

    /// <summary>Whether creates of this integration are upserts on an id Castiel chose (retry-safe).</summary>
    private static bool Upserts(OutboundTarget target)
    {
        var settings = target.Integration.Settings;
        return target.AdapterName switch
        {
            "salesforce" => AdapterSettings.Text(settings, "externalIdField") is not null,
            "hubspot" => AdapterSettings.Text(settings, "externalIdProperty") is not null,
            "dynamics365" => AdapterSettings.Text(settings, "alternateKey") is not null,
            // A PUT at a chosen id, or a POST with Idempotency-Key (the API's to honour).
            _ => true,
        };
    }
}
