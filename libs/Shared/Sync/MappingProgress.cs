using System.Text.Json.Serialization;
using IntegrationSync.Shared.Storage;
using Microsoft.Azure.Cosmos;

namespace IntegrationSync.Shared.Sync;

/// <summary>An execution's mapping results counted so far, and when the last one was.</summary>
public sealed record TallyTotals(int Created, int Updated, int Failed, DateTimeOffset? LastCountedAt = null)
{
    public int Total => Created + Updated + Failed;
}

/// <summary>
/// How far mapping has got with an execution, read from event-consumer's tally documents (it alone writes them; this is
/// their read contract): completion reads it, and a run reads it to keep its unmapped records within bounds.
/// </summary>
public sealed class MappingProgress(CosmosContainers containers)
{
    public const string TallyType = "execution_tally";

    public Task<TallyTotals> ReadAsync(string tenantId, string executionId, CancellationToken cancellationToken) =>
        ReadAsync(containers.SyncState, tenantId, executionId, cancellationToken);

    /// <summary>Counters only: the tallies' key lists stay on the server.</summary>
    public static async Task<TallyTotals> ReadAsync(Container container, string tenantId, string executionId, CancellationToken cancellationToken)
    {
        var query = new QueryDefinition(
                "SELECT c.created, c.updated, c.failed, c._ts FROM c WHERE c.tenantId = @tenant AND c.executionId = @execution AND c.type = @type")
            .WithParameter("@tenant", tenantId)
            .WithParameter("@execution", executionId)
            .WithParameter("@type", TallyType);
        var totals = new TallyTotals(0, 0, 0);
        using var iterator = container.GetItemQueryIterator<ShardCounters>(query, requestOptions: new QueryRequestOptions { PartitionKey = new PartitionKey(tenantId) });
        while (iterator.HasMoreResults)
        {
            foreach (var shard in await iterator.ReadNextAsync(cancellationToken).WaitAsync(cancellationToken))
            {
                var countedAt = DateTimeOffset.FromUnixTimeSeconds(shard.Ts);
                totals = new TallyTotals(totals.Created + shard.Created, totals.Updated + shard.Updated, totals.Failed + shard.Failed,
                    totals.LastCountedAt > countedAt ? totals.LastCountedAt : countedAt);
            }
        }
        return totals;
    }

    private sealed record ShardCounters(int Created, int Updated, int Failed, [property: JsonPropertyName("_ts")] long Ts);
}
