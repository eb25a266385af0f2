using System.Collections.Concurrent;
using IntegrationSync.Shared.Storage;
using IntegrationSync.Shared.Sync;
using Microsoft.Azure.Cosmos;

namespace IntegrationSync.EventConsumer.Statistics;

/// <summary>
/// Counts mapping results exactly once. An execution's keys are kept in memory once read, so a write sends only the
/// tally (its counters and open keys, bounded by <see cref="ExecutionTallyDocument.OpenCapacity"/>); a write that loses
/// its ETag (another replica counted meanwhile) reads the tally again, and the chunks sealed since, and retries.
/// One tally per execution: a flush is one write, and a replica's flushes of an execution queue on its gate.
/// </summary>
public sealed class ExecutionTallyRepository(CosmosContainers containers)
    : CosmosRepository<ExecutionTallyDocument>(containers.SyncState, containers.Kind(ExecutionTallyDocument.DocType))
{
    private const int MaxCachedExecutions = 512;
    private const int MaxRaces = 100;
    private readonly TallyKeyChunks _chunks = new(containers);
    private readonly ConcurrentDictionary<(string Tenant, string Execution), TallyState> _tallies = new();

    /// <summary>Counts each result key once; returns the results that were new, by outcome.</summary>
    public async Task<TallyTotals> RecordAsync(
        string tenantId, string executionId, IReadOnlyCollection<(string Key, MappingOutcome Outcome)> results, CancellationToken cancellationToken)
    {
        if (_tallies.Count >= MaxCachedExecutions)
        {
            _tallies.Clear();
        }
        var digests = results.Select(r => (Digest: ExecutionTallyDocument.KeyOf(r.Key), r.Outcome)).ToList();
        var state = _tallies.GetOrAdd((tenantId, executionId), _ => new TallyState());
        await state.Gate.WaitAsync(cancellationToken);
        try
        {
            var counted = new TallyTotals(0, 0, 0);
            var races = 0;
            while (true)
            {
                state.Tally ??= await LoadAsync(tenantId, executionId, state, cancellationToken);
                var fresh = digests.Where(r => !state.Keys.Contains(r.Digest)).DistinctBy(r => r.Digest)
                    .Take(ExecutionTallyDocument.OpenCapacity).ToList();
                if (fresh.Count == 0)
                {
                    return counted;
                }
                if (await TryWriteAsync(tenantId, executionId, state, fresh, cancellationToken))
                {
                    var added = Totals(fresh);
                    counted = new TallyTotals(counted.Created + added.Created, counted.Updated + added.Updated, counted.Failed + added.Failed);
                    continue;
                }
                if (++races == MaxRaces)
                {
                    throw new InvalidOperationException($"Gave up counting results of execution {executionId} after {MaxRaces} concurrent modifications.");
                }
                // Another replica counted meanwhile: carry on from what is stored.
                await RefreshAsync(tenantId, executionId, state, cancellationToken);
            }
        }
        finally
        {
            state.Gate.Release();
        }
    }

    /// <summary>Drops a finished execution's keys from memory; a late duplicate reloads them from the store.</summary>
    public void Forget(string tenantId, string executionId) => _tallies.TryRemove((tenantId, executionId), out _);

    /// <summary>The counters, and when a result was last counted (null before the first).</summary>
    public Task<TallyTotals> ReadTotalsAsync(string tenantId, string executionId, CancellationToken cancellationToken) =>
        MappingProgress.ReadAsync(Container, tenantId, executionId, cancellationToken);

    /// <summary>Reads every key counted for the execution (an earlier version's tallies too) and returns its tally (a new, unsaved one if none).</summary>
    private async Task<ExecutionTallyDocument> LoadAsync(string tenantId, string executionId, TallyState state, CancellationToken cancellationToken)
    {
        var tallies = await QueryAsync(tenantId, new QueryDefinition(
                $"SELECT * FROM c WHERE {OfKind} AND c.tenantId = @tenant AND c.executionId = @execution")
            .WithParameter("@tenant", tenantId).WithParameter("@execution", executionId), null, cancellationToken);
        var sealedChunks = await _chunks.ListAsync(tenantId, executionId, 0, cancellationToken);
        state.Keys.UnionWith(tallies.SelectMany(t => t.Digests()));
        state.Keys.UnionWith(sealedChunks.SelectMany(c => PackedDigests.Decode(c.Digests)));
        var tally = tallies.Find(t => t.Id == ExecutionTallyDocument.IdFor(executionId))
            ?? new ExecutionTallyDocument { Id = ExecutionTallyDocument.IdFor(executionId), TenantId = tenantId, ExecutionId = executionId };
        state.KnownChunks = tally.Sealed;
        return tally;
    }

    /// <summary>After a lost race: the stored tally, its open keys and the chunks sealed since this replica last looked.</summary>
    private async Task RefreshAsync(string tenantId, string executionId, TallyState state, CancellationToken cancellationToken)
    {
        if (await ReadAsync(tenantId, ExecutionTallyDocument.IdFor(executionId), cancellationToken) is not { } stored)
        {
            state.Tally = null;
            return;
        }
        if (stored.Sealed > state.KnownChunks)
        {
            var sealedSince = await _chunks.ListAsync(tenantId, executionId, state.KnownChunks, cancellationToken);
            state.Keys.UnionWith(sealedSince.SelectMany(c => PackedDigests.Decode(c.Digests)));
        }
        state.Keys.UnionWith(stored.Digests());
        state.KnownChunks = stored.Sealed;
        state.Tally = stored;
    }

    /// <summary>Counts <paramref name="fresh"/> in one write of the tally, sealing its open keys first when they are full; false on a lost race.</summary>
    private async Task<bool> TryWriteAsync(
        string tenantId, string executionId, TallyState state, List<(ulong Digest, MappingOutcome Outcome)> fresh, CancellationToken cancellationToken)
    {
        var tally = state.Tally!;
        var open = PackedDigests.Decode(tally.Open);
        var seal = open.Length >= ExecutionTallyDocument.OpenCapacity;
        if (seal && !await _chunks.SealAsync(tenantId, executionId, tally.Sealed, open, cancellationToken))
        {
            return false;
        }
        var added = Totals(fresh);
        var next = tally with
        {
            Sealed = seal ? tally.Sealed + 1 : tally.Sealed,
            Open = PackedDigests.Encode([.. seal ? [] : open, .. fresh.Select(r => r.Digest)]),
            Created = tally.Created + added.Created, Updated = tally.Updated + added.Updated, Failed = tally.Failed + added.Failed,
        };
        var written = tally.ETag is null ? await TryCreateAsync(next, cancellationToken) : await TryReplaceAsync(next, cancellationToken);
        if (written is null)
        {
            return false;
        }
        state.Tally = written;
        state.KnownChunks = written.Sealed;
        state.Keys.UnionWith(fresh.Select(r => r.Digest));
        return true;
    }

    private static TallyTotals Totals(List<(ulong Digest, MappingOutcome Outcome)> results) => new(
        results.Count(r => r.Outcome == MappingOutcome.Created), results.Count(r => r.Outcome == MappingOutcome.Updated),
        results.Count(r => r.Outcome == MappingOutcome.Failed));

    private sealed class TallyState
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);
        public HashSet<ulong> Keys { get; } = [];
        public ExecutionTallyDocument? Tally { get; set; }

        /// <summary>Sealed chunks whose keys are in <see cref="Keys"/>.</summary>
        public int KnownChunks { get; set; }
    }
}
