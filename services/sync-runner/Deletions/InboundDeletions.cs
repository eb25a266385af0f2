using IntegrationSync.Shared.Peers;
using IntegrationSync.Shared.Storage;
using IntegrationSync.Shared.SyncState;
using IntegrationSync.SyncRunner.Adapters;
using IntegrationSync.SyncRunner.Publishing;
using Microsoft.Extensions.Options;

namespace IntegrationSync.SyncRunner.Deletions;

/// <summary>Opens a run's <see cref="RunDeletions"/>: where its records' sync states are and what its entity type is called there.</summary>
public sealed class InboundDeletions(
    SyncRecordRepository records, CosmosRetry retry, LinkBackfill backfill, IOptions<DeletionOptions> options, TimeProvider time)
{
    public RunDeletions Open(RunContext run, IntegrationDescriptor integration, ISyncAdapter adapter, DeletionTally tally) =>
        new(records, retry, backfill, run, EntityMapping.ForEntity(integration.SyncConfig, run.EntityType), tally, adapter as IRecordPresence,
            options.Value, time);
}
