using System.Collections.Concurrent;
using System.Net;
using IntegrationSync.Shared.Storage;
using IntegrationSync.Shared.Sync;
using Microsoft.Azure.Cosmos;

namespace IntegrationSync.EventConsumer.Statistics;

/// <summary>
/// Counts mapping results exactly once. Each shard's keys are kept in memory once read, so a write sends only the
/// shard's last segment; a write that loses its ETag (another replica counted meanwhile) reloads the shard and retries.
/// </summary>
public sealed class ExecutionTallyRepository(CosmosContainers containers) : CosmosRepository<ExecutionTallyDocument>(containers.SyncState, containers.Kind(ExecutionTallyDocument.DocType))
{
    private const int MaxCachedShards = 4096;
    private readonly ConcurrentDictionary<(string Tenant, string Execution, int Shard), ShardState> _shards = new();

    /// <summary>Counts each result key once (shards written in parallel); returns the results that were new, by outcome.</summary>
    public async Task<TallyTotals> RecordAsync(
        string tenantId, string executionId, IReadOnlyCollection<(string Key, MappingOutcome Outcome)> results, CancellationToken cancellationToken)
    {
        var byShard = results
            .Select(r => (Key: ExecutionTallyDocument.KeyOf(r.Key), r.Outcome))
            .GroupBy(r => r.Key.Shard);
        var added = await Task.WhenAll(byShard.Select(shard =>
            RecordShardAsync(tenantId, executionId, shard.Key, shard.Select(r => (r.Key.Digest, r.Outcome)).ToList(), cancellationToken)));
        return new TallyTotals(added.Sum(a => a.Created), added.Sum(a => a.Updated), added.Sum(a => a.Failed));
    }

    /// <summary>Drops a finished execution's keys from memory; a late duplicate reloads them from the store.</summary>
    public void Forget(string tenantId, string executionId)
    {
        for (var shard = 0; shard < ExecutionTallyDocument.Shards; shard++)
        {
            _shards.TryRemove((tenantId, executionId, shard), out _);
        }
    }

    /// <summary>The counters of every shard, and when a result was last counted (null before the first).</summary>
    public Task<TallyTotals> ReadTotalsAsync(string tenantId, string executionId, CancellationToken cancellationToken) =>
        MappingProgress.ReadAsync(Container, tenantId, executionId, cancellationToken);

    private async Task<TallyTotals> RecordShardAsync(
        string tenantId, string executionId, int shard, List<(string Digest, MappingOutcome Outcome)> results, CancellationToken cancellationToken)
    {
        if (_shards.Count >= MaxCachedShards)
        {
            _shards.Clear();
        }
        var state = _shards.GetOrAdd((tenantId, executionId, shard), _ => new ShardState());
        await state.Gate.WaitAsync(cancellationToken);
        try
        {
            var counted = new TallyTotals(0, 0, 0);
            for (var attempt = 0; attempt < 100; attempt++)
            {
                state.Tail ??= await LoadAsync(tenantId, executionId, shard, state.Keys, cancellationToken);
                var fresh = results.Where(r => !state.Keys.Contains(r.Digest)).DistinctBy(r => r.Digest).ToList();
                if (fresh.Count == 0)
                {
                    return counted;
                }
                var room = ExecutionTallyDocument.SegmentCapacity - state.Tail.Keys.Count;
                var (target, isNew) = room > 0
                    ? (state.Tail, state.Tail.ETag is null)
                    : (Empty(tenantId, executionId, shard, state.Tail.Segment + 1), true);
                var chunk = fresh.Take(room > 0 ? room : ExecutionTallyDocument.SegmentCapacity).ToList();
                var next = Apply(target, chunk);
                var written = isNew ? await TryCreateAsync(next, cancellationToken) : await TryReplaceAsync(next, cancellationToken);
                if (written is null)
                {
                    // Another replica counted into this shard meanwhile: start again from what is stored.
                    state.Keys.Clear();
                    state.Tail = null;
                    continue;
                }
                state.Tail = written;
                state.Keys.UnionWith(chunk.Select(r => r.Digest));
                counted = new TallyTotals(counted.Created + chunk.Count(r => r.Outcome == MappingOutcome.Created),
                    counted.Updated + chunk.Count(r => r.Outcome == MappingOutcome.Updated), counted.Failed + chunk.Count(r => r.Outcome == MappingOutcome.Failed));
            }
            throw new InvalidOperationException($"Gave up counting results into shard {shard} of execution {executionId} after 100 concurrent modifications.");
        }
        finally
        {
            state.Gate.Release();
        }
    }

    /// <summary>Reads every segment of a shard: fills <paramref name="keys"/> and returns the last segment (a new, unsaved one if none).</summary>
    private async Task<ExecutionTallyDocument> LoadAsync(string tenantId, string executionId, int shard, HashSet<string> keys, CancellationToken cancellationToken)
    {
        var segments = await QueryAsync(tenantId, new QueryDefinition(
                $"SELECT * FROM c WHERE {OfKind} AND c.tenantId = @tenant AND c.executionId = @execution AND c.shard = @shard")
            .WithParameter("@tenant", tenantId).WithParameter("@execution", executionId).WithParameter("@shard", shard), null, cancellationToken);
        foreach (var key in segments.SelectMany(s => s.Keys))
        {
            keys.Add(key);
        }
        return segments.MaxBy(s => s.Segment) ?? Empty(tenantId, executionId, shard, 0);
    }

    private static ExecutionTallyDocument Empty(string tenantId, string executionId, int shard, int segment) => new()
    {
        Id = ExecutionTallyDocument.IdFor(executionId, shard, segment), TenantId = tenantId, ExecutionId = executionId, Shard = shard, Segment = segment,
    };

    private static ExecutionTallyDocument Apply(ExecutionTallyDocument segment, IEnumerable<(string Digest, MappingOutcome Outcome)> results)
    {
        var (created, updated, failed) = (segment.Created, segment.Updated, segment.Failed);
        var keys = new List<string>(segment.Keys);
        foreach (var (digest, outcome) in results)
        {
            keys.Add(digest);
            switch (outcome)
            {
                case MappingOutcome.Created: created++; break;
                case MappingOutcome.Updated: updated++; break;
                default: failed++; break;
            }
        }
        return segment with { Created = created, Updated = updated, Failed = failed, Keys = keys };
    }

    private sealed class ShardState
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);
        public HashSet<string> Keys { get; } = [];
        public ExecutionTallyDocument? Tail { get; set; }
    }
}
