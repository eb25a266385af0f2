using System.Text.Json.Nodes;
using IntegrationSync.Shared.Conflicts;
using IntegrationSync.Shared.Contracts;
using IntegrationSync.Shared.Contracts.Events;
using IntegrationSync.Shared.Messaging;
using IntegrationSync.Shared.Peers;
using IntegrationSync.Shared.SyncState;
using IntegrationSync.SyncRunner.Adapters;
using Microsoft.Extensions.Options;

namespace IntegrationSync.SyncRunner.Outbound;

/// <summary>
/// Carries out a decision on both sides: the vendor write (with the version read as its concurrency token; a 412 becomes
/// a conflict for a person, never an overwrite), then the sync state, then the shard (so the <c>shard.updated</c> the
/// update causes finds its values already synced and is known as an echo), then <c>integration.data.synced</c>.
/// Vendor values reach the shard through the mapper, as inbound records do (<see cref="VendorPull"/>); shard-manager's
/// update is used only where the mapper would undo what was decided (a value the vendor cannot take). A shard deleted in
/// Castiel whose vendor record wins comes back as a new shard through the mapper.
/// A field that cannot be written back stays out of the write and is named on the record (<c>notWritable</c>).
/// </summary>
public sealed class PushApplier(
    ShardManagerClient shards, RecordStates states, RecordCreation creation, ConflictRecorder conflicts, IEventPublisher publisher,
    IOptions<BidirectionalOptions> options)
{
    public async Task<PushResult> ApplyAsync(PushContext c, Decision d, CancellationToken cancellationToken)
    {
        var w = c.Comparison;
        switch (d.Verdict)
        {
            case Verdict.InSync:
                return await SyncedAsync(c, d, w.Local.Values ?? [], c.RemoteVersion, write: null, d.Conflict ? PushOutcome.Pulled : PushOutcome.InSync, cancellationToken);
            case Verdict.Apply:
                return await ApplyValuesAsync(c, d, cancellationToken);
            case Verdict.Manual:
                return await ManualAsync(c, ConflictRecorder.KindOf(w), cancellationToken);
            case Verdict.DeleteRemote when !c.Target.WriteBack.AllowsDeletes:
                await states.SaveAsync(c.Record, r => r with { LastError = "deleted in Castiel; the integration does not allow deletes (syncConfig.writeBack.allowDeletes)" },
                    clearPending: true, cancellationToken);
                return new PushResult(PushOutcome.Failed, d.Conflict);
            case Verdict.DeleteRemote:
                await c.Target.Adapter.DeleteAsync(c.RemoteRequest(c.Record.ExternalId!), c.RemoteVersion, cancellationToken);
                await GoneAsync(c, Tombstone.Castiel, cancellationToken);
                await SyncedEventAsync(c, c.Record.ExternalId, null, "deleted", cancellationToken);
                return new PushResult(PushOutcome.Deleted, d.Conflict);
            case Verdict.DeleteLocal:
                await GoneAsync(c, Tombstone.External, cancellationToken);
                await shards.DeleteShardAsync(c.TenantId, c.Record.ShardId!, cancellationToken);
                return new PushResult(PushOutcome.Pulled, d.Conflict);
            case Verdict.RecreateRemote:
                await creation.CreateAsync(c, d.Result!, replaced: c.Record.ExternalId, cancellationToken);
                return new PushResult(PushOutcome.Created, d.Conflict);
            case Verdict.RestoreLocal:
                await SyncedAsync(c, d, d.Result!, c.RemoteVersion, write: null, PushOutcome.Pulled, cancellationToken);
                // shard-manager updates no deleted shard and has no undelete: the mapper, which finds only live shards, makes
                // the vendor record a shard again, and that shard's shard.created links the record to it.
                await SendToMapperAsync(c, [], cancellationToken);
                return new PushResult(PushOutcome.Pulled, d.Conflict);
            default:
                await GoneAsync(c, Tombstone.External, cancellationToken);
                return new PushResult(PushOutcome.InSync, d.Conflict);
        }
    }

    /// <summary>Stores a conflict for a person; the record's pending change waits with it.</summary>
    public async Task<PushResult> ManualAsync(PushContext c, string kind, CancellationToken cancellationToken)
    {
        var conflict = await conflicts.RecordAsync(c.Target, c.Record, c.Comparison, c.RemoteVersion, kind, supersedes: null, cancellationToken);
        await states.SaveAsync(c.Record, r => r with { OpenConflictId = conflict.Id, UpdatedAt = states.Now() }, clearPending: true, cancellationToken);
        return new PushResult(PushOutcome.Manual, Conflict: true);
    }

    private async Task<PushResult> ApplyValuesAsync(PushContext c, Decision d, CancellationToken cancellationToken)
    {
        var w = c.Comparison;
        var result = d.Result!;
        var (fields, notWritable) = c.Mapping.ToVendor(result, d.PushFields(w));
        // What the vendor could not take keeps its value there, and stays a change of Castiel's, named on the record.
        var vendorSide = result.DeepClone().AsObject();
        foreach (var field in notWritable)
        {
            Assign(vendorSide, field, w.Fields.First(f => f.Field == field).Remote);
        }
        var version = c.RemoteVersion;
        OutboundWrite? write = null;
        if (fields.Count > 0)
        {
            var writeId = Guid.NewGuid().ToString();
            WriteResult written;
            try
            {
                written = await c.Target.Adapter.WriteAsync(new AdapterWriteRequest(c.Target.Connection, c.Record.EntityType, c.Record.ExternalId, fields,
                    c.Remote?.Version, WriterTag: options.Value.WriterTag), cancellationToken);
            }
            catch (AdapterException e) when (e.Kind == AdapterErrorKind.Conflict)
            {
                return await ManualAsync(c, ConflictKinds.WriteRejected, cancellationToken);
            }
            version = written.Version ?? "hash-" + CanonicalJson.Hash(vendorSide);
            write = new OutboundWrite(writeId, written.Version, CanonicalJson.Hash(vendorSide), states.Now());
        }
        var pull = d.PullFields(w).Where(f => !notWritable.Contains(f)).ToList();
        var outcome = write is not null ? PushOutcome.Pushed : pull.Count > 0 ? PushOutcome.Pulled : PushOutcome.InSync;
        var saved = await SyncedAsync(c, d, vendorSide, version, write, outcome, cancellationToken, notWritable);
        if (pull.Count > 0 && notWritable.Count > 0)
        {
            // The mapper would give the shard the vendor's value of a field the vendor could not take, undoing Castiel's.
            await UpdateShardAsync(c, result, pull, cancellationToken);
        }
        else if (pull.Count > 0)
        {
            await SendToMapperAsync(c, fields, cancellationToken);
        }
        if (write is not null)
        {
            await SyncedEventAsync(c, c.Record.ExternalId, version, "updated", cancellationToken);
        }
        return saved;
    }

    private async Task<PushResult> SyncedAsync(
        PushContext c, Decision d, JsonObject values, string? version, OutboundWrite? write, PushOutcome outcome, CancellationToken cancellationToken,
        IReadOnlyList<string>? notWritable = null)
    {
        var now = states.Now();
        var saved = await states.SaveAsync(c.Record, r => RecordStates.Synced(r, values, version, c.Comparison.Remote.ModifiedAt,
            write is null ? r.LastDirection ?? "inbound" : "outbound", now, write) with
        {
            ShardId = c.Record.ShardId,
            NotWritable = notWritable is { Count: > 0 } ? [.. notWritable] : null,
        }, clearPending: true, cancellationToken);
        return new PushResult(outcome, d.Conflict, Again: saved.Pending is not null);
    }

    /// <summary>
    /// Writes <paramref name="fields"/> to the shard, on the shard as it is now (read again: shard-manager's update has no
    /// concurrency token, so this keeps the window for a lost Castiel edit to the moment between this read and the write).
    /// </summary>
    private async Task UpdateShardAsync(PushContext c, JsonObject values, IEnumerable<string> fields, CancellationToken cancellationToken)
    {
        var (_, current) = await shards.FindShardAsync(c.TenantId, c.Record.ShardId!, cancellationToken);
        var update = c.ShardUpdate(states.Now(), c.Record.ExternalId, current?["structuredData"] as JsonObject ?? c.Shard?.StructuredData ?? [], values, fields);
        await shards.UpdateShardAsync(c.TenantId, c.Record.ShardId!, update, cancellationToken);
    }

    /// <summary>The vendor record, with what our write set laid over it, to the mapper (<see cref="VendorPull"/>).</summary>
    private async Task SendToMapperAsync(PushContext c, JsonObject written, CancellationToken cancellationToken)
    {
        var raw = VendorPull.Event(c, written);
        await publisher.PublishAsync(raw, c.TenantId, new EventMetadata(CorrelationId: raw.CorrelationId), cancellationToken);
    }

    private Task GoneAsync(PushContext c, string side, CancellationToken cancellationToken) =>
        states.SaveAsync(c.Record, r => r with { Deleted = new Tombstone(side, states.Now()), LastSyncedAt = states.Now(), UpdatedAt = states.Now() },
            clearPending: true, cancellationToken);

    public Task SyncedEventAsync(PushContext c, string? externalId, string? version, string operation, CancellationToken cancellationToken) =>
        publisher.PublishAsync(new DataSynced(c.Record.ShardId ?? "", "outbound", c.Target.Integration.Id, externalId, version, c.Record.EntityType, operation),
            c.TenantId, cancellationToken: cancellationToken);

    private static void Assign(JsonObject values, string field, JsonNode? value)
    {
        if (value is null)
        {
            values.Remove(field);
        }
        else
        {
            values[field] = value.DeepClone();
        }
    }
}
