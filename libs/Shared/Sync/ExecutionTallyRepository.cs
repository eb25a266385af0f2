using System.Net;
using IntegrationSync.Shared.Storage;
using Microsoft.Azure.Cosmos;

namespace IntegrationSync.Shared.Sync;

public sealed class ExecutionTallyRepository(CosmosContainers containers) : CosmosRepository<ExecutionTallyDocument>(containers.SyncState)
{
    /// <summary>Counts each result key once (shards written in parallel); returns how many results were new.</summary>
    public async Task<int> RecordAsync(
        string tenantId, string executionId, IReadOnlyCollection<(string Key, MappingOutcome Outcome)> results, CancellationToken cancellationToken)
    {
        var byShard = results
            .Select(r => (Digest: ExecutionTallyDocument.Digest(r.Key), r.Outcome))
            .GroupBy(r => ExecutionTallyDocument.ShardOf(r.Digest));
        var added = await Task.WhenAll(byShard.Select(shard =>
            RecordShardAsync(tenantId, executionId, shard.Key, shard.ToList(), cancellationToken)));
        return added.Sum();
    }

    public async Task<TallyTotals> ReadTotalsAsync(string tenantId, string executionId, CancellationToken cancellationToken)
    {
        // Counters only: the key lists stay on the server.
        var query = new QueryDefinition(
                "SELECT c.created, c.updated, c.failed FROM c WHERE c.tenantId = @tenant AND c.executionId = @execution AND c.type = @type")
            .WithParameter("@tenant", tenantId)
            .WithParameter("@execution", executionId)
            .WithParameter("@type", ExecutionTallyDocument.DocType);
        var totals = new TallyTotals(0, 0, 0);
        using var iterator = Container.GetItemQueryIterator<TallyTotals>(query, requestOptions: new QueryRequestOptions { PartitionKey = new PartitionKey(tenantId) });
        while (iterator.HasMoreResults)
        {
            foreach (var shard in await iterator.ReadNextAsync(cancellationToken))
            {
                totals = new TallyTotals(totals.Created + shard.Created, totals.Updated + shard.Updated, totals.Failed + shard.Failed);
            }
        }
        return totals;
    }

    private async Task<int> RecordShardAsync(
        string tenantId, string executionId, int shard, List<(string Digest, MappingOutcome Outcome)> results, CancellationToken cancellationToken)
    {
        var id = ExecutionTallyDocument.IdFor(executionId, shard);
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var current = await ReadAsync(tenantId, id, cancellationToken);
            var (next, added) = Apply(current ?? new ExecutionTallyDocument { Id = id, TenantId = tenantId, ExecutionId = executionId, Shard = shard }, results);
            if (added == 0)
            {
                return 0;
            }
            if (current is null ? await TryCreateAsync(next, cancellationToken) : await TryReplaceAsync(next, cancellationToken) is not null)
            {
                return added;
            }
        }
        throw new InvalidOperationException($"Gave up counting results into {id} after 100 concurrent modifications.");
    }

    private static (ExecutionTallyDocument Next, int Added) Apply(ExecutionTallyDocument tally, List<(string Digest, MappingOutcome Outcome)> results)
    {
        var seen = tally.Keys.ToHashSet();
        var (created, updated, failed) = (tally.Created, tally.Updated, tally.Failed);
        var keys = new List<string>(tally.Keys);
        foreach (var (digest, outcome) in results)
        {
            if (!seen.Add(digest))
            {
                continue;
            }
            keys.Add(digest);
            switch (outcome)
            {
                case MappingOutcome.Created: created++; break;
                case MappingOutcome.Updated: updated++; break;
                default: failed++; break;
            }
        }
        return (tally with { Created = created, Updated = updated, Failed = failed, Keys = keys }, keys.Count - tally.Keys.Count);
    }

    private async Task<bool> TryCreateAsync(ExecutionTallyDocument document, CancellationToken cancellationToken)
    {
        try
        {
            await CreateAsync(document, cancellationToken);
            return true;
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.Conflict)
        {
            return false;
        }
    }
}
