using System.Text.Json.Nodes;
using IntegrationSync.Shared.Contracts;
using IntegrationSync.Shared.Storage;
using IntegrationSync.Shared.SyncState;
using IntegrationSync.SyncRunner.Adapters;
using IntegrationSync.SyncRunner.Publishing;

namespace IntegrationSync.SyncRunner.Deletions;

/// <summary>
/// Takes the deletions of a run's pages towards Castiel, each by the contract its receiver has. A message the vendor
/// still shows as a tombstone goes out again as a raw event with <c>isDeleted</c>/<c>deletedAt</c> (integration-processors'
/// message consumer reads them); every other record (CRM records above all) reaches its shard through its sync state:
/// the state is marked with the deletion before the page's checkpoint, and the shards are deleted at the end of the pull,
/// once the mass-delete guard let them (<see cref="DeletionGuard"/>). A record with an unpushed Castiel change is left
/// to its push, which finds the vendor record gone and decides by the integration's strategy. A record with no known
/// shard (mapped before the fleet learnt links from shard events) is linked from shard-manager's listing once a run
/// (<see cref="LinkBackfill"/>), and counted as unlinked if it has none. When the vendor no longer has the deletions since the cursor and the adapter can tell
/// which records exist, the run compares its linked records with the vendor at the end of its pull (<see cref="DeletionReconciliation"/>).
/// </summary>
public sealed class RunDeletions(
    SyncRecordRepository records, CosmosRetry retry, LinkBackfill backfill, RunContext run, EntityMapping? mapping, DeletionTally tally,
    IRecordPresence? presence, DeletionOptions options, TimeProvider time)
{
    private readonly RecordClassifier _classifier = new(run.EntityType);
    private readonly string _entityType = mapping?.ExternalEntity ?? run.EntityType;
    private bool _backfilled;

    public DeletionTally Tally => tally;

    /// <summary>The run's entity type as its records' sync states name it.</summary>
    public string EntityType => _entityType;

    /// <summary>How the adapter tells which records still exist, when it can (a reconciliation needs it).</summary>
    public IRecordPresence? Presence => presence;

    /// <summary>The page's deletions marked on their states; returned: the tombstones to publish with the page.</summary>
    public async Task<IReadOnlyList<SourceRecord>> ObserveAsync(RecordPage page, CancellationToken cancellationToken)
    {
        tally.Add(run.ExecutionId, page);
        if (page.DeletesMissed is not null && presence is not null)
        {
            tally.Reconcile();
        }
        if (page.Deleted.Count == 0)
        {
            return [];
        }
        var now = IsoTime.Format(time.GetUtcNow());
        var tombstones = page.Deleted.Where(d => d.Data is { } data && _classifier.Classify(data) == RecordClass.Message)
            .Select(d => Tombstone(d, now)).ToList();
        var linked = page.Deleted.Where(d => d.Data is not { } data || _classifier.Classify(data) != RecordClass.Message)
            .DistinctBy(d => d.ExternalId).ToDictionary(d => SyncRecordDocument.IdFor(run.TenantId, run.IntegrationId, _entityType, d.ExternalId), d => d);
        var stored = await retry.ExecuteAsync(async t => await records.ReadManyAsync(linked.Keys, t), cancellationToken);
        await LinkOnceAsync(linked.Keys.Where(id => !stored.TryGetValue(id, out var state) || state.ShardId is null).ToList(), stored, cancellationToken);
        var marks = new List<(SyncRecordDocument State, string? DeletedAt)>();
        foreach (var (id, deleted) in linked)
        {
            if (!stored.TryGetValue(id, out var state) || state.ShardId is null)
            {
                tally.Unlinked(1);
            }
            else
            {
                marks.Add((state, deleted.DeletedAt));
            }
        }
        await MarkAsync(marks, cancellationToken);
        tally.Propagated(tombstones.Count);
        return tombstones;
    }

    /// <summary>
    /// Marks the records deleted for this execution (once: a page read again after a resume finds its marks). A record
    /// deleted in Castiel already, or with a Castiel change or conflict waiting (its push decides), is left as it is.
    /// </summary>
    /// <returns>How many were not marked for this execution before.</returns>
    public async Task<int> MarkAsync(IReadOnlyList<(SyncRecordDocument State, string? DeletedAt)> deleted, CancellationToken cancellationToken)
    {
        var now = IsoTime.Format(time.GetUtcNow());
        var marks = deleted.Where(d => Markable(d.State)).Select(d => (d.State.Id, Mark: new PendingDeletion(run.ExecutionId, d.DeletedAt, now))).ToList();
        await Parallel.ForEachAsync(marks, new ParallelOptions { MaxDegreeOfParallelism = options.ApplyConcurrency, CancellationToken = cancellationToken },
            async (mark, t) => await retry.ExecuteAsync(async c => await records.UpdateAsync(run.TenantId, mark.Id,
                current => Markable(current) ? current with { Deleting = mark.Mark, UpdatedAt = now } : null, c), t));
        return marks.Count;
    }

    /// <summary>Every shard of the integration linked to its record, from shard-manager's listing (once a run; a reconciliation needs them all).</summary>
    public async Task<bool> LinkAllAsync(CancellationToken cancellationToken)
    {
        if (_backfilled || mapping is null)
        {
            return false;
        }
        _backfilled = true;
        await backfill.RunAsync(run, mapping, cancellationToken);
        return true;
    }

    /// <summary>Records with no known shard: once a run, the links are learnt from shard-manager's listing, and those records read again.</summary>
    private async Task LinkOnceAsync(IReadOnlyList<string> unlinked, Dictionary<string, SyncRecordDocument> stored, CancellationToken cancellationToken)
    {
        if (unlinked.Count == 0 || !await LinkAllAsync(cancellationToken))
        {
            return;
        }
        foreach (var (id, state) in await retry.ExecuteAsync(async t => await records.ReadManyAsync(unlinked, t), cancellationToken))
        {
            stored[id] = state;
        }
    }

    private bool Markable(SyncRecordDocument state) =>
        state.Deleted is null && state.Deleting?.ExecutionId != run.ExecutionId && state.Pending is null && state.OpenConflictId is null;

    private static SourceRecord Tombstone(DeletedRecord deleted, string now)
    {
        var data = deleted.Data!.DeepClone().AsObject();
        data["isDeleted"] = true;
        data["deletedAt"] = deleted.DeletedAt ?? now;
        return new SourceRecord(deleted.ExternalId, data);
    }
}
