using IntegrationSync.Shared.Contracts;
using IntegrationSync.Shared.Peers;
using IntegrationSync.Shared.Storage;
using IntegrationSync.Shared.SyncState;
using Microsoft.Extensions.Options;

namespace IntegrationSync.SyncRunner.Deletions;

/// <summary>
/// Carries out the deletions an execution marked, a batch at a time until none is left: each record's tombstone first
/// (so the <c>shard.deleted</c> that shard-manager publishes is known as our echo), then shard-manager's soft delete,
/// then the mark cleared. A crash in between leaves the mark, and the next pass deletes again (a gone shard is fine).
/// Or lets them go: marks cleared, shards kept.
/// </summary>
public sealed class DeletionApplier(
    SyncRecordRepository records, ShardManagerClient shards, CosmosRetry retry, IOptions<DeletionOptions> options, TimeProvider time)
{
    private const int Batch = 200;

    /// <summary>The shards of the execution's marked records deleted; returned: how many.</summary>
    public Task<int> ApplyAsync(string tenantId, string executionId, CancellationToken cancellationToken) =>
        EachMarkedAsync(tenantId, executionId, async (state, now, t) =>
        {
            var deleted = await records.UpdateAsync(tenantId, state.Id, current => current.Deleting?.ExecutionId != executionId ? null : current with
            {
                Deleted = current.Deleted ?? new Tombstone(Tombstone.External, current.Deleting.DeletedAt ?? now), LastSyncedAt = now, UpdatedAt = now,
            }, t);
            if (deleted?.ShardId is not { } shardId)
            {
                // Marked by another execution since, or with no shard to delete: nothing of this execution's to count.
                if (deleted is not null)
                {
                    await ClearAsync(tenantId, state.Id, executionId, now, t);
                }
                return false;
            }
            await shards.DeleteShardAsync(tenantId, shardId, t);
            return await ClearAsync(tenantId, state.Id, executionId, now, t);
        }, cancellationToken);

    /// <summary>The execution's marks cleared without deleting anything; returned: how many.</summary>
    public Task<int> LetGoAsync(string tenantId, string executionId, CancellationToken cancellationToken) =>
        EachMarkedAsync(tenantId, executionId, async (state, now, t) => await ClearAsync(tenantId, state.Id, executionId, now, t), cancellationToken);

    private async Task<int> EachMarkedAsync(
        string tenantId, string executionId, Func<SyncRecordDocument, string, CancellationToken, Task<bool>> step, CancellationToken cancellationToken)
    {
        var done = 0;
        var seen = new HashSet<string>();
        while (true)
        {
            var batch = await retry.ExecuteAsync(async t => await records.DeletingAsync(tenantId, executionId, Batch, t), cancellationToken);
            // Every step clears its mark; a batch of records met before would mean one did not, and is not gone through again.
            batch.RemoveAll(state => !seen.Add(state.Id));
            if (batch.Count == 0)
            {
                return done;
            }
            var now = IsoTime.Format(time.GetUtcNow());
            await Parallel.ForEachAsync(batch, new ParallelOptions { MaxDegreeOfParallelism = options.Value.ApplyConcurrency, CancellationToken = cancellationToken },
                async (state, t) =>
                {
                    if (await retry.ExecuteAsync(async c => await step(state, now, c), t))
                    {
                        Interlocked.Increment(ref done);
                    }
                });
        }
    }

    private async Task<bool> ClearAsync(string tenantId, string id, string executionId, string now, CancellationToken cancellationToken) =>
        await records.UpdateAsync(tenantId, id, current => current.Deleting?.ExecutionId == executionId ? current with { Deleting = null, UpdatedAt = now } : null,
            cancellationToken) is not null;
}
