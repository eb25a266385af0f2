using IntegrationSync.Shared.Storage;
using IntegrationSync.Shared.Sync;
using IntegrationSync.Shared.SyncState;
using IntegrationSync.SyncRunner.Publishing;
using Microsoft.Extensions.Options;

namespace IntegrationSync.SyncRunner.Deletions;

/// <summary>
/// The mass-delete guard, at the end of a run's pull: the shards of the records it marked deleted are deleted now,
/// unless they are at least <c>deletions.mass_delete_minimum</c> and more than <c>deletions.mass_delete_share</c> of the
/// integration's linked records of that entity type; then none is, and the execution shows them held until a person
/// approves or rejects them through the API (an API outage or a paging bug must never wipe a tenant's data).
/// </summary>
public sealed class DeletionGuard(
    SyncRecordRepository records, DeletionApplier applier, CosmosRetry retry, IOptions<DeletionOptions> options, ILogger<DeletionGuard> logger)
{
    public async Task SettleAsync(RunContext run, RunDeletions deletions, CancellationToken cancellationToken)
    {
        var tally = deletions.Tally;
        if (tally.Current is { Detected: 0, Missed: null })
        {
            // Nothing reported deleted and no reconciliation: no mark to count (most runs end here, without a query).
            return;
        }
        if (tally.Current.Approval is not null)
        {
            // Held by an earlier run of this execution: the person's decision carries them out (DeletionsDecidedHandler).
            return;
        }
        var marked = await retry.ExecuteAsync(async t => await records.CountDeletingAsync(run.TenantId, run.ExecutionId, t), cancellationToken);
        if (marked == 0)
        {
            return;
        }
        var linked = await retry.ExecuteAsync(async t => await records.CountLinkedAsync(run.TenantId, run.IntegrationId, deletions.EntityType, t), cancellationToken);
        if (marked >= options.Value.MassDeleteMinimum && marked > options.Value.MassDeleteShare * linked)
        {
            tally.Held(marked);
            logger.LogWarning("Execution {ExecutionId}: {Marked} of {Linked} linked records deleted at the vendor in one run; held for approval (deletions.mass_delete_share {Share})",
                run.ExecutionId, marked, linked, options.Value.MassDeleteShare);
            return;
        }
        tally.Propagated(await applier.ApplyAsync(run.TenantId, run.ExecutionId, cancellationToken));
    }
}
