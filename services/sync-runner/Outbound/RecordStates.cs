using System.Text.Json.Nodes;
using IntegrationSync.Shared.Contracts;
using IntegrationSync.Shared.SyncState;

namespace IntegrationSync.SyncRunner.Outbound;

/// <summary>
/// The writes of a record's sync state on the outbound side. A push works from the state it read; it clears the pending
/// change only if no shard change arrived meanwhile (same count, same event), so a change made during a push is pushed
/// after it, never lost.
/// </summary>
public sealed class RecordStates(SyncRecordRepository records, TimeProvider time)
{
    public string Now() => IsoTime.Format(time.GetUtcNow());

    /// <summary>Both sides hold <paramref name="values"/> now (shard terms), the vendor at <paramref name="remoteVersion"/>.</summary>
    public static SyncRecordDocument Synced(
        SyncRecordDocument record, JsonObject values, string? remoteVersion, DateTimeOffset? remoteModifiedAt, string direction, string now,
        OutboundWrite? write = null) => record with
    {
        Base = values.DeepClone().AsObject(),
        BaseHash = CanonicalJson.Hash(values),
        RemoteVersion = remoteVersion,
        RemoteModifiedAt = remoteModifiedAt is { } at ? IsoTime.Format(at) : record.RemoteModifiedAt,
        LastDirection = direction,
        LastSyncedAt = now,
        LastWrite = write ?? record.LastWrite,
        Deleted = null,
        LastError = null,
        UpdatedAt = now,
    };

    /// <summary>Saves <paramref name="change"/> of the stored state; the pending change read at <paramref name="read"/> is cleared unless a newer one replaced it.</summary>
    public async Task<SyncRecordDocument> SaveAsync(
        SyncRecordDocument read, Func<SyncRecordDocument, SyncRecordDocument> change, bool clearPending, CancellationToken cancellationToken) =>
        (await records.ChangeAsync(read.TenantId, read.Id, current =>
        {
            var next = change(current ?? read with { ETag = null });
            return clearPending && SamePending(current?.Pending, read.Pending) ? next with { Pending = null } : next with { Pending = current?.Pending };
        }, cancellationToken))!;

    /// <summary>A push that failed: tried again at <paramref name="retryAt"/>; counted failures mark the change failed after <paramref name="maxAttempts"/>.</summary>
    public async Task<SyncRecordDocument> FailedAsync(
        SyncRecordDocument read, string error, DateTimeOffset retryAt, bool countAttempt, int maxAttempts, CancellationToken cancellationToken)
    {
        var now = Now();
        return (await records.ChangeAsync(read.TenantId, read.Id, current =>
        {
            var record = current ?? read with { ETag = null };
            if (record.Pending is not { } pending)
            {
                return record with { LastError = error, UpdatedAt = now };
            }
            var attempts = countAttempt && SamePending(pending, read.Pending) ? pending.Attempts + 1 : pending.Attempts;
            var failed = attempts >= maxAttempts;
            return record with
            {
                LastError = error,
                UpdatedAt = now,
                Pending = pending with { Attempts = attempts, RetryAt = failed ? null : IsoTime.Format(retryAt), FailedAt = failed ? now : null },
            };
        }, cancellationToken))!;
    }

    private static bool SamePending(PendingChange? current, PendingChange? read) =>
        current is null || (read is not null && current.Changes == read.Changes && current.EventId == read.EventId);
}
