using IntegrationSync.Shared.Storage;
using IntegrationSync.Shared.SyncState;
using IntegrationSync.SyncRunner.Adapters;
using IntegrationSync.SyncRunner.Adapters.Http;
using IntegrationSync.SyncRunner.Publishing;

namespace IntegrationSync.SyncRunner.Deletions;

/// <summary>
/// A full reconciliation, when the vendor no longer has the deletions since a run's cursor (Salesforce's recycle bin was
/// emptied, or the cursor is older than it keeps them): the integration's shards are linked to their records first (those
/// mapped before links were learnt), then every record of the integration linked to a live shard is checked
/// at the vendor, as many a call as the adapter takes, and those it no longer has are marked deleted like any reported
/// deletion, so the mass-delete guard weighs them too. Calls are counted with the run's. Started again from the top after
/// a crash (the execution keeps <c>reconciling</c> until it ends); records marked already are not marked twice.
/// </summary>
public sealed class DeletionReconciliation(SyncRecordRepository records, CosmosRetry retry, ILogger<DeletionReconciliation> logger)
{
    public async Task RunAsync(RunContext run, RunDeletions deletions, AdapterConnection connection, ReadMeter meter, CancellationToken cancellationToken)
    {
        if (!deletions.Tally.Current.Reconciling || deletions.Presence is not { } presence)
        {
            return;
        }
        await deletions.LinkAllAsync(cancellationToken);
        var (checkedCount, gone) = (0, 0);
        string? continuation = null;
        do
        {
            var (linked, next) = await retry.ExecuteAsync(async t => await records.LinkedPageAsync(run.TenantId, run.IntegrationId, deletions.EntityType,
                continuation, presence.PresenceBatch, t), cancellationToken);
            continuation = next;
            if (linked.Count == 0)
            {
                continue;
            }
            var present = await presence.PresentAsync(connection, run.EntityType, linked.Select(r => r.ExternalId!).ToList(), meter, cancellationToken);
            var missing = linked.Where(r => !present.Contains(r.ExternalId!)).Select(r => (r, (string?)null)).ToList();
            checkedCount += linked.Count;
            gone += await deletions.MarkAsync(missing, cancellationToken);
        }
        while (continuation is not null);
        deletions.Tally.Reconciled(gone);
        logger.LogInformation("Execution {ExecutionId}: reconciled {Checked} linked records with the vendor; {Gone} more deleted there than it reported",
            run.ExecutionId, checkedCount, gone);
    }
}
