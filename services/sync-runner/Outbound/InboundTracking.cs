using System.Text.Json.Nodes;
using IntegrationSync.Shared.Contracts;
using IntegrationSync.Shared.Contracts.Commands;
using IntegrationSync.Shared.Messaging;
using IntegrationSync.Shared.Storage;
using IntegrationSync.Shared.SyncState;
using IntegrationSync.SyncRunner.Adapters;
using IntegrationSync.SyncRunner.Publishing;

namespace IntegrationSync.SyncRunner.Outbound;

/// <summary>
/// The sync state of an inbound run of an integration that takes writes back. Each page is compared with the records'
/// state (one read for the page) before it is published: our own write coming back (its writer tag, or the version or
/// values it produced) is not republished; a record with an unpushed Castiel change is held, and a push decides it with
/// the strategy when the vendor changed it too (a conflict). The state of a changed record is written before its page is
/// published, so the shard update the mapper makes finds its values already synced (an echo, not a change). A record
/// seen for the first time has no shard to update yet (the mapper creates one): its state is written beside the
/// checkpoint, like the published keys, and a checkpoint never passes a page whose states are not stored.
/// </summary>
public sealed class InboundTracking(
    SyncRecordRepository records, CosmosRetry retry, IEventPublisher publisher, RunContext run, EntityMapping mapping, JsonObject settings,
    BidirectionalOptions options, OutboundTally tally, TimeProvider time)
{
    private readonly RecordClassifier _classifier = new(run.EntityType);
    private readonly Lock _gate = new();
    private readonly List<SyncRecordDocument> _unsaved = [];
    private readonly SemaphoreSlim _saving = new(1, 1);

    /// <summary>First-time states queued so far: a position <see cref="SaveThroughAsync"/> stores up to.</summary>
    public long Added { get; private set; }

    private long Saved { get; set; }

    /// <summary>The page's records to publish (in order), once the states that must precede them are stored.</summary>
    public async Task<IReadOnlyList<SourceRecord>> ObserveAsync(IReadOnlyList<SourceRecord> page, CancellationToken cancellationToken)
    {
        var now = IsoTime.Format(time.GetUtcNow());
        var seen = page.Select(r => _classifier.Classify(r.Data) == RecordClass.Crm ? Seen.Of(r, run, mapping) : null).ToList();
        var stored = await retry.ExecuteAsync(async t => await records.ReadManyAsync(seen.OfType<Seen>().Select(s => s.Id).ToList(), t), cancellationToken);
        var publish = new List<SourceRecord>(page.Count);
        var writes = new List<Func<CancellationToken, Task>>();
        for (var i = 0; i < page.Count; i++)
        {
            if (seen[i] is not { } s)
            {
                publish.Add(page[i]);
                continue;
            }
            if (!stored.TryGetValue(s.Id, out var state))
            {
                Queue(Inbound(New(s, now), s, now));
                publish.Add(page[i]);
                continue;
            }
            if (IsOurEcho(state, s))
            {
                tally.Echo();
                if (state.RemoteVersion != s.Version)
                {
                    writes.Add(t => SaveAsync(s, now, echo: true, t));
                }
                continue;
            }
            if (state.Pending is not null || state.OpenConflictId is not null)
            {
                // Publishing would overwrite Castiel's unpushed change in the shard: the push decides instead.
                if (s.Hash != state.BaseHash)
                {
                    tally.Conflict();
                    writes.Add(t => RequestPushAsync(state, t));
                }
                continue;
            }
            if (s.Hash != state.BaseHash || s.Version != state.RemoteVersion || state.Deleted is not null)
            {
                writes.Add(t => SaveAsync(s, now, echo: false, t));
            }
            publish.Add(page[i]);
        }
        await Parallel.ForEachAsync(writes, new ParallelOptions { MaxDegreeOfParallelism = options.StateWriteConcurrency, CancellationToken = cancellationToken },
            async (write, t) => await write(t));
        if (Added - Saved > options.InboundBacklog)
        {
            await SaveThroughAsync(Added, cancellationToken);
        }
        return publish;
    }

    /// <summary>Stores the first-time states queued up to <paramref name="through"/> (beside the checkpoint, or when the backlog is full).</summary>
    public async Task SaveThroughAsync(long through, CancellationToken cancellationToken)
    {
        await _saving.WaitAsync(cancellationToken);
        try
        {
            List<SyncRecordDocument> batch;
            lock (_gate)
            {
                if (through <= Saved)
                {
                    return;
                }
                batch = _unsaved.GetRange(0, (int)(through - Saved));
            }
            await Parallel.ForEachAsync(batch, new ParallelOptions { MaxDegreeOfParallelism = options.StateWriteConcurrency, CancellationToken = cancellationToken },
                async (state, t) => await retry.ExecuteAsync(async c => await records.ChangeAsync(state.TenantId, state.Id,
                    current => current is null ? state : Merge(current, state), c), t));
            lock (_gate)
            {
                _unsaved.RemoveRange(0, batch.Count);
                Saved += batch.Count;
            }
        }
        finally
        {
            _saving.Release();
        }
    }

    private void Queue(SyncRecordDocument state)
    {
        lock (_gate)
        {
            _unsaved.Add(state);
            Added++;
        }
    }

    private bool IsOurEcho(SyncRecordDocument state, Seen s) =>
        state.LastWrite is { IsIntent: false } write
        && (RemoteRecord.CarriesOurTag(s.Record.Data, options.WriterTag, settings)
            || (write.Version is not null ? RemoteRecord.SameVersion(s.Record.Version, write.Version) : s.Hash == write.Hash));

    private Task SaveAsync(Seen s, string now, bool echo, CancellationToken cancellationToken) =>
        retry.ExecuteAsync(async t => await records.ChangeAsync(run.TenantId, s.Id, current =>
            current is null ? Inbound(New(s, now), s, now)
            : echo ? current with { RemoteVersion = s.Version, UpdatedAt = now }
            : current.Pending is not null ? null : Inbound(current, s, now), t), cancellationToken).AsTask();

    /// <summary>A push decides the record now, unless the run pushes its pending changes itself once its pull is done (bidirectional).</summary>
    private Task RequestPushAsync(SyncRecordDocument state, CancellationToken cancellationToken) =>
        state.OpenConflictId is not null || state.ShardId is null || OutboundRun.Pushes(run)
            ? Task.CompletedTask
            : publisher.PublishAsync(new SyncOutbound(state.ShardId, state.IntegrationId, state.ExternalId, state.ShardTypeId,
                state.Pending?.LastChangedAt ?? IsoTime.Format(time.GetUtcNow()), state.Id, state.EntityType), run.TenantId, cancellationToken: cancellationToken);

    private SyncRecordDocument New(Seen s, string now) => new()
    {
        Id = s.Id, TenantId = run.TenantId, IntegrationId = run.IntegrationId, EntityType = mapping.ExternalEntity.ToLowerInvariant(),
        ExternalId = s.Record.ExternalId, ShardTypeId = mapping.ShardTypeId, CreatedAt = now,
    };

    private SyncRecordDocument Inbound(SyncRecordDocument state, Seen s, string now) => state with
    {
        Base = s.Values, BaseHash = s.Hash, RemoteVersion = s.Version, RemoteModifiedAt = RemoteRecord.ModifiedAt(s.Record.Data, settings) is { } at ? IsoTime.Format(at) : null,
        LastDirection = "inbound", LastSyncedAt = now, LastExecutionId = run.ExecutionId, Deleted = null, UpdatedAt = now,
    };

    /// <summary>A first-time state stored after someone else wrote the record (a shard change recorded meanwhile): theirs wins where they set it.</summary>
    private static SyncRecordDocument Merge(SyncRecordDocument current, SyncRecordDocument inbound) =>
        current.Base is not null ? current : inbound with { ETag = current.ETag, ShardId = current.ShardId, Pending = current.Pending, OpenConflictId = current.OpenConflictId };

    /// <summary>A vendor record as the state knows it: its key, mapped values (shard terms), their hash and its version.</summary>
    private sealed record Seen(SourceRecord Record, string Id, JsonObject Values, string Hash, string Version)
    {
        public static Seen Of(SourceRecord record, RunContext run, EntityMapping mapping)
        {
            var values = mapping.ToShard(record.Data);
            return new Seen(record, SyncRecordDocument.IdFor(run.TenantId, run.IntegrationId, mapping.ExternalEntity, record.ExternalId), values, CanonicalJson.Hash(values),
                RemoteRecord.Version(record, values));
        }
    }
}
