using IntegrationSync.Shared.Conflicts;
using IntegrationSync.Shared.Contracts;
using IntegrationSync.Shared.Hosting;
using IntegrationSync.Shared.SyncState;
using IntegrationSync.SyncRunner.Adapters;
using Microsoft.Extensions.Options;

namespace IntegrationSync.SyncRunner.Outbound;

/// <summary>
/// Applies the resolution a person chose for a conflict: <c>source_wins</c> takes the vendor's record into the shard
/// through the mapper (<see cref="VendorPull"/>), <c>target_wins</c> pushes Castiel's, <c>newest_wins</c> the newer,
/// <c>merge</c>/<c>custom</c> with values writes the merged record to the vendor and the record as written to the shard.
/// First both sides are read again: if either changed since the conflict was found, the choice was made on values that
/// are gone, so it is refused and a fresh conflict with the current values replaces it (<c>superseded</c>); a vendor that
/// refuses the write (412) ends the same way. A conflict already applied is left alone.
/// </summary>
public sealed class ConflictResolution(
    ConflictRepository conflicts, SyncRecordRepository records, OutboundTargets targets, RecordSides sides, RecordLocks locks, RecordStates states,
    PushApplier applier, ConflictRecorder recorder, FleetMetrics metrics, IOptions<BidirectionalOptions> options, ILogger<ConflictResolution> logger)
{
    public async Task ApplyAsync(string tenantId, string conflictId, CancellationToken cancellationToken)
    {
        var conflict = await conflicts.ReadAsync(tenantId, conflictId, cancellationToken);
        if (conflict is not { Managed: true, Status: ConflictStatus.Resolving, RecordId: { } recordId, IntegrationId: { } integrationId })
        {
            return;
        }
        var target = await targets.OpenAsync(tenantId, integrationId, cancellationToken);
        using var held = await locks.HoldAsync(recordId, cancellationToken);
        if (await records.ReadAsync(tenantId, recordId, cancellationToken) is not { } record)
        {
            await FinishAsync(conflict, ConflictStatus.Resolved, "the record's sync state is gone; nothing was applied", null, cancellationToken);
            return;
        }
        var context = await sides.ReadAsync(target, record, cancellationToken);
        var w = context.Comparison;
        if (Hash(w.Local) != conflict.LocalHash || Hash(w.Remote) != conflict.RemoteHash || w.Local.Deleted != conflict.LocalDeleted
            || w.Remote.Deleted != conflict.RemoteDeleted)
        {
            var fresh = await recorder.RecordAsync(target, record, w, context.RemoteVersion, ConflictRecorder.KindOf(w), conflict.Id, cancellationToken);
            await states.SaveAsync(record, r => r with { OpenConflictId = fresh.Id }, clearPending: true, cancellationToken);
            await FinishAsync(conflict, ConflictStatus.Superseded, "the record changed again since the conflict was found", fresh.Id, cancellationToken);
            return;
        }
        // The conflict is being settled: the record's state no longer waits for it.
        var cleared = await states.SaveAsync(record, r => r with { OpenConflictId = null }, clearPending: false, cancellationToken);
        var decision = ConflictStrategy.Choose(w, conflict.Resolution!, conflict.ResolutionFields, options.Value.MergeFallback);
        var result = await applier.ApplyAsync(context with { Record = cleared }, decision, cancellationToken);
        if (result.Outcome == PushOutcome.Manual)
        {
            var refused = await records.ReadAsync(tenantId, recordId, cancellationToken);
            await FinishAsync(conflict, ConflictStatus.Superseded, "the vendor refused the write: the record changed meanwhile", refused?.OpenConflictId, cancellationToken);
            return;
        }
        metrics.ConflictResolved(target.AdapterName, conflict.Resolution!);
        logger.LogInformation("Conflict {ConflictId} resolved with {Resolution}: {Outcome}", conflict.Id, conflict.Resolution, result.Outcome);
        await FinishAsync(conflict, ConflictStatus.Resolved, $"{decision.Verdict}: {result.Outcome}".ToLowerInvariant(), null, cancellationToken);
    }

    private async Task FinishAsync(ConflictDocument conflict, string status, string outcome, string? supersededBy, CancellationToken cancellationToken)
    {
        var now = states.Now();
        await conflicts.UpdateAsync(conflict.TenantId, conflict.Id, c => c.Status != ConflictStatus.Resolving ? null : c with
        {
            Status = status,
            Resolved = status == ConflictStatus.Resolved,
            ResolvedAt = status == ConflictStatus.Resolved ? now : c.ResolvedAt,
            AppliedAt = status == ConflictStatus.Resolved ? now : null,
            Outcome = outcome,
            SupersededBy = supersededBy,
            Error = null,
            UpdatedAt = now,
        }, cancellationToken);
    }

    /// <summary>A failure while applying: the conflict shows it and stays <c>resolving</c>; asking again retries.</summary>
    public Task RecordFailureAsync(string tenantId, string conflictId, Exception e, CancellationToken cancellationToken) =>
        conflicts.UpdateAsync(tenantId, conflictId, c => c.Status != ConflictStatus.Resolving ? null : c with
        {
            Error = e is AdapterException or Shared.Peers.PeerCallException ? e.Message : $"{e.GetType().Name}: {e.Message}",
            UpdatedAt = IsoTime.Format(DateTimeOffset.UtcNow),
        }, cancellationToken);

    private static string? Hash(Side side) => side.Values is { } values ? CanonicalJson.Hash(values) : null;
}
