using IntegrationSync.Shared.Peers;
using IntegrationSync.Shared.Storage;
using IntegrationSync.Shared.SyncState;
using IntegrationSync.SyncRunner.Publishing;
using Microsoft.Extensions.Options;

namespace IntegrationSync.SyncRunner.Deletions;

/// <summary>
/// Links the records whose shards were made before the fleet learnt links from shard events: shard-manager's listing of
/// the tenant's live shards of the mapping's type (5,000 a call), each shard of the integration linked to its record
/// unless its state names a shard already. A run does it once, when a deletion meets a record with no known shard.
/// </summary>
public sealed class LinkBackfill(
    ShardManagerClient shards, SyncRecordRepository records, RecordLinks links, CosmosRetry retry, IOptions<DeletionOptions> options,
    ILogger<LinkBackfill> logger)
{
    private const int Page = 5000;

    /// <summary>Returned: how many records it linked.</summary>
    public async Task<int> RunAsync(RunContext run, EntityMapping mapping, CancellationToken cancellationToken)
    {
        var (listed, linked) = (0, 0);
        string? continuation = null;
        do
        {
            var (page, next) = await shards.ListShardsAsync(run.TenantId, mapping.ShardTypeId, mapping.ShardTypeName, continuation, Page, cancellationToken);
            continuation = next;
            listed += page.Count;
            var ours = page.Select(s => new ShardView(s))
                .Select(view => (View: view, ExternalId: view.Link(run.IntegrationId)?.ExternalId))
                .Where(s => s.View.Id is not null && s.ExternalId is not null)
                .DistinctBy(s => s.ExternalId)
                .ToDictionary(s => SyncRecordDocument.IdFor(run.TenantId, run.IntegrationId, mapping.ExternalEntity, s.ExternalId!));
            var stored = await retry.ExecuteAsync(async t => await records.ReadManyAsync(ours.Keys, t), cancellationToken);
            var missing = ours.Where(o => !stored.TryGetValue(o.Key, out var state) || state.ShardId is null).Select(o => o.Value).ToList();
            await Parallel.ForEachAsync(missing, new ParallelOptions { MaxDegreeOfParallelism = options.Value.ApplyConcurrency, CancellationToken = cancellationToken },
                async (shard, t) => await retry.ExecuteAsync(async c => await links.LinkAsync(run.TenantId, run.IntegrationId,
                    mapping.ExternalEntity.ToLowerInvariant(), shard.ExternalId, shard.View, shard.View.Id!, shard.View.ShardTypeId, c), t));
            linked += missing.Count;
        }
        while (continuation is not null);
        logger.LogInformation("Execution {ExecutionId}: {Linked} records linked to their shards from shard-manager's listing of {Listed} shards",
            run.ExecutionId, linked, listed);
        return linked;
    }
}
