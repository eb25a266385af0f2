using IntegrationSync.Shared.Configuration.Options;
using IntegrationSync.Shared.Peers;
using IntegrationSync.Shared.Sync;
using IntegrationSync.Shared.SyncState;
using IntegrationSync.SyncRunner.Adapters;
using IntegrationSync.SyncRunner.Execution;
using IntegrationSync.SyncRunner.Publishing;
using Microsoft.Extensions.Options;

namespace IntegrationSync.SyncRunner.Outbound;

/// <summary>
/// The push part of an execution: a task with <c>direction: "outbound"</c> pushes the integration's pending Castiel changes
/// of its entity type; <c>bidirectional</c> pulls first, then pushes. The execution holds its tenant slot and lease
/// throughout, stops between records on a cancel or pause, pushes at most <c>sync_limits.max_records_per_sync</c>
/// records, and counts them in its statistics (<c>recordsPushed</c>, <c>conflicts</c>, <c>echoesSkipped</c>).
/// </summary>
public sealed class OutboundRun(
    SyncRecordRepository records, OutboundPush push, RunLifecycle lifecycle, IOptions<BidirectionalOptions> options, IOptions<SyncLimitsOptions> limits,
    ILogger<OutboundRun> logger)
{
    private const int Batch = 100;

    public static bool Pushes(RunContext run) => run.Direction is SyncDirection.Outbound or SyncDirection.Bidirectional;

    /// <summary>Fails the run before it reads anything when its integration does not take writes back.</summary>
    public WriteBack Check(RunContext run, IntegrationDescriptor integration)
    {
        var writeBack = WriteBack.Of(integration, options.Value.DefaultConflictResolution);
        return writeBack.AllowsWrites
            ? writeBack
            : throw new SyncFailure("OUTBOUND_NOT_ALLOWED",
                $"A {run.Direction} sync needs integration {integration.Id} to take writes back: set syncConfig.syncDirection to outbound or bidirectional (or writeBack.enabled)");
    }

    public async Task PushPendingAsync(
        OwnedExecution owned, RunContext run, IntegrationDescriptor integration, ISyncAdapter adapter, AdapterConnection connection, RunControl control,
        OutboundTally tally, CancellationToken cancellationToken)
    {
        var target = new OutboundTarget(owned.TenantId, integration, adapter, connection, Check(run, integration));
        var tried = new HashSet<string>();
        while (tried.Count < limits.Value.MaxRecordsPerSync)
        {
            var pending = (await records.PendingAsync(owned.TenantId, run.IntegrationId, run.EntityType, Batch, cancellationToken))
                .Where(r => !tried.Contains(r.Id)).Take(limits.Value.MaxRecordsPerSync - tried.Count).ToList();
            if (pending.Count == 0)
            {
                break;
            }
            foreach (var record in pending)
            {
                await control.ThrowIfStopRequestedAsync(cancellationToken);
                tried.Add(record.Id);
                tally.Count(await push.PushAsync(target, record.Id, cancellationToken, coalesce: false));
            }
            await lifecycle.RecordTallyAsync(owned, tally, cancellationToken);
        }
        await lifecycle.RecordTallyAsync(owned, tally, cancellationToken);
        logger.LogInformation("Execution {ExecutionId} pushed {Pushed} records ({Conflicts} conflicts, {Echoes} echoes skipped)",
            owned.ExecutionId, tally.Pushed, tally.Conflicts, tally.EchoesSkipped);
    }
}
