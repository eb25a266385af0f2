using IntegrationSync.Shared.Configuration.Options;
using IntegrationSync.Shared.Hosting;
using IntegrationSync.Shared.Messaging;
using IntegrationSync.Shared.Storage;
using IntegrationSync.Shared.Sync;
using IntegrationSync.SyncRunner.Adapters;
using IntegrationSync.SyncRunner.Deletions;
using IntegrationSync.SyncRunner.Outbound;
using IntegrationSync.SyncRunner.Publishing;
using Microsoft.Extensions.Options;

namespace IntegrationSync.SyncRunner.Execution;

/// <summary>
/// Moves a run's records from the adapter to the broker: pages overlap (the next is read and sent while earlier ones
/// await their confirms, at most <c>runner.pages_in_flight</c>), and the checkpoint advances past a page only once it and
/// every page before it are confirmed, storing first the digests of the records they carried and the marks of the
/// deletions they reported; those deletions reach Castiel at the end of the pull, through the mass-delete guard.
/// </summary>
public sealed class RecordPump(
    IEventPublisher publisher,
    RunLifecycle lifecycle,
    PublishedKeySegments keySegments,
    InboundStates inboundStates,
    InboundDeletions inboundDeletions,
    DeletionReconciliation reconciliation,
    DeletionGuard deletionGuard,
    MappingProgress mappingProgress,
    CredentialRefresh credentials,
    CosmosRetry retry,
    IOptions<MappingOptions> mapping,
    IOptions<CompatibilityOptions> compatibility,
    IOptions<SyncLimitsOptions> limits,
    IOptions<RunnerOptions> runner,
    FleetMetrics metrics,
    TimeProvider time,
    ILogger<RecordPump> logger)
{
    public async Task<RunOutcome> PumpAsync(
        OwnedExecution owned, RunContext run, ISyncAdapter adapter, AdapterConnection connection, RunControl control, OutboundTally tally,
        CancellationToken cancellationToken)
    {
        // Sync state of an integration that takes writes back: our echoes held back, records with unpushed changes decided by a push.
        var tracking = inboundStates.Open(run, connection.Integration, tally);
        var checkpointTally = tracking is null ? null : tally;
        var log = keySegments.Open(retry, owned.TenantId, owned.ExecutionId);
        await log.LoadAsync(cancellationToken);
        var publication = new RawRecordPublication(publisher, mapping.Value, run, log.Keys, owned.Execution.BatchMode,
            batches: !compatibility.Value.UnmodifiedPeers);
        var loop = new PageLoop(adapter, run, limits.Value.MaxRecordsPerSync, new PageRetry(runner.Value, adapter.Descriptor.Name, time), credentials, logger);
        var checkpoints = new CheckpointWriter<PageInFlight>(async (page, t) =>
        {
            await (tracking?.SaveThroughAsync(page.StatesThrough, t) ?? Task.CompletedTask);
            await log.SaveThroughAsync(page.KeysThrough, t);
            await lifecycle.CheckpointAsync(owned, page.Checkpoint, t);
        }, runner.Value.CheckpointInterval, time, cancellationToken);

        var unmapped = new UnmappedWindow(mappingProgress, owned, runner.Value.MaxUnmappedRecords);
        var deletions = inboundDeletions.Open(run, connection.Integration, adapter, new DeletionTally(owned.Execution, adapter.Descriptor.Name, logger));
        var inFlight = new Queue<PageInFlight>();
        try
        {
            await foreach (var page in loop.ReadAsync(connection, owned.Execution.Cursor, log.Keys.Count, () => DrainAsync(inFlight, checkpoints),
                               control, cancellationToken))
            {
                await control.ThrowIfStopRequestedAsync(cancellationToken);
                var records = page.Records;
                var tombstones = await deletions.ObserveAsync(page, cancellationToken);
                Task confirmed;
                using (var activity = RunnerTelemetry.Source.StartActivity("sync.page"))
                {
                    activity?.SetTag("integration_sync.records", records.Count);
                    metrics.RecordsFetched(adapter.Descriptor.Name, publication.ClassLabel, records.Count);
                    var published = tracking is null ? records : await tracking.ObserveAsync(records, cancellationToken);
                    confirmed = publication.AddPageAsync(tombstones.Count == 0 ? published : [.. published, .. tombstones], cancellationToken);
                }
                var keys = log.Keys;
                inFlight.Enqueue(new PageInFlight(confirmed, keys.Added, tracking?.Added ?? 0,
                    CheckpointOf(loop, keys, publication.BatchMode, owned, deletions, checkpointTally),
                    CanCheckpoint: !publication.HoldsRecords));
                while (inFlight.Count > runner.Value.PagesInFlight)
                {
                    await ConfirmOldestAsync(inFlight, checkpoints);
                }
                await unmapped.WaitForRoomAsync(keys.Count - keys.Forwarded, control, cancellationToken);
            }
        }
        catch (SyncStopRequestedException)
        {
            // Stopping between pages: whatever is in flight is confirmed and checkpointed first, so a resume re-sends nothing.
            await DrainAsync(inFlight, checkpoints);
            throw;
        }
        await DrainAsync(inFlight, checkpoints);
        // A small run is published only now, with no checkpoint after it: its first-time sync states are stored here.
        await (tracking?.SaveThroughAsync(tracking.Added, cancellationToken) ?? Task.CompletedTask);
        await publication.CompleteAsync(cancellationToken);
        await reconciliation.RunAsync(run, deletions, connection, loop.Meter, cancellationToken);
        await deletionGuard.SettleAsync(run, deletions, cancellationToken);
        foreach (var (recordClass, count) in publication.SentByClass)
        {
            metrics.RecordsPublished(adapter.Descriptor.Name, recordClass.Label(), count);
        }
        var done = log.Keys;
        // The calls of a read that ended the run (a quota, a Retry-After) came after the last page's checkpoint.
        await log.SaveThroughAsync(done.Added, cancellationToken);
        await lifecycle.CheckpointAsync(owned, CheckpointOf(loop, done, publication.BatchMode, owned, deletions, checkpointTally), cancellationToken);
        return new RunOutcome(done.Count, done.Forwarded, done.Resent, loop.Truncation, loop.Cursor, loop.Watermark);
    }

    /// <summary>Counts are the execution's, across its runs: this run's calls and deletions added to those of the runs before it.</summary>
    private static Checkpoint CheckpointOf(
        PageLoop loop, PublishedKeys keys, bool batchMode, OwnedExecution owned, RunDeletions deletions, OutboundTally? tally) =>
        new(loop.Cursor, keys.Count, keys.Forwarded, keys.Resent, batchMode, owned.Execution.ApiCalls + loop.Meter.Calls, deletions.Tally.Counted,
            tally);

    /// <summary>Waits for the oldest page's confirms, then checkpoints past it: checkpoints advance in page order only.</summary>
    private static async Task ConfirmOldestAsync(Queue<PageInFlight> inFlight, CheckpointWriter<PageInFlight> checkpoints)
    {
        var page = inFlight.Dequeue();
        await page.Confirmed;
        if (page.CanCheckpoint)
        {
            checkpoints.Advance(page);
        }
    }

    /// <summary>Every page still in flight confirmed, and the checkpoint past the last of them written.</summary>
    private static async Task DrainAsync(Queue<PageInFlight> inFlight, CheckpointWriter<PageInFlight> checkpoints)
    {
        while (inFlight.Count > 0)
        {
            await ConfirmOldestAsync(inFlight, checkpoints);
        }
        await checkpoints.FlushAsync();
    }

    /// <summary>
    /// A page handed to the broker: its confirms, and the checkpoint past it, with the digests through <see cref="KeysThrough"/>
    /// and the first-time sync states through <see cref="StatesThrough"/>.
    /// </summary>
    private sealed record PageInFlight(Task Confirmed, long KeysThrough, long StatesThrough, Checkpoint Checkpoint, bool CanCheckpoint);
}
