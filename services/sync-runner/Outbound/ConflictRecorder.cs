using IntegrationSync.Shared.Conflicts;
using IntegrationSync.Shared.Contracts;
using IntegrationSync.Shared.Contracts.Events;
using IntegrationSync.Shared.Hosting;
using IntegrationSync.Shared.Messaging;
using IntegrationSync.Shared.SyncState;

namespace IntegrationSync.SyncRunner.Outbound;

/// <summary>
/// Stores a conflict that waits for a person (base, Castiel's and the vendor's values, and which fields changed on which
/// side, with the versions they were found at) and announces it with <c>integration.conflict.detected</c>. The conflict id
/// derives from the record, its base and both sides, so a push repeated after a crash finds the conflict it stored.
/// </summary>
public sealed class ConflictRecorder(ConflictRepository conflicts, IEventPublisher publisher, FleetMetrics metrics, TimeProvider time)
{
    public async Task<ConflictDocument> RecordAsync(
        OutboundTarget target, SyncRecordDocument record, ThreeWay w, string? externalVersion, string kind, string? supersedes, CancellationToken cancellationToken)
    {
        var now = IsoTime.Format(time.GetUtcNow());
        var localHash = w.Local.Values is { } local ? CanonicalJson.Hash(local) : null;
        var remoteHash = w.Remote.Values is { } remote ? CanonicalJson.Hash(remote) : null;
        var id = Shared.Sync.WorkMessages.DeterministicGuid(
            $"conflict:{record.Id}:{record.BaseHash}:{localHash}:{remoteHash}:{externalVersion}:{w.Local.Deleted}:{w.Remote.Deleted}");
        var conflict = new ConflictDocument
        {
            Id = id, ConflictId = id, TenantId = target.TenantId, Managed = true, Status = ConflictStatus.Open, Kind = kind, TaskId = DataRaw.PushTaskId,
            IntegrationId = target.Integration.Id, RecordId = record.Id, ShardId = record.ShardId, ExternalId = record.ExternalId,
            EntityId = record.ShardId ?? record.ExternalId ?? "", EntityType = record.EntityType,
            BaseVersion = record.Base?.DeepClone().AsObject(), LocalVersion = w.Local.Values?.DeepClone().AsObject(),
            RemoteVersion = w.Remote.Values?.DeepClone().AsObject(),
            ChangedFields = w.Fields.Where(f => f.Change != FieldChange.None)
                .Select(f => new ChangedField(f.Field, f.Change switch
                {
                    FieldChange.Local => "local",
                    FieldChange.Remote => "remote",
                    _ => "both",
                }, f.Base, f.Local, f.Remote)).ToList(),
            LocalHash = localHash, RemoteHash = remoteHash, ExternalVersion = externalVersion, LocalDeleted = w.Local.Deleted, RemoteDeleted = w.Remote.Deleted,
            LocalModifiedAt = w.Local.ModifiedAt is { } l ? IsoTime.Format(l) : null, RemoteModifiedAt = w.Remote.ModifiedAt is { } r ? IsoTime.Format(r) : null,
            ResolutionStrategy = ConflictResolutions.Manual, Supersedes = supersedes, CreatedAt = now, UpdatedAt = now,
        };
        var stored = await conflicts.TryCreateAsync(conflict, cancellationToken) ?? await conflicts.ReadAsync(target.TenantId, id, cancellationToken) ?? conflict;
        await publisher.PublishAsync(new ConflictDetected(id, target.Integration.Id, record.EntityType, conflict.EntityId!, record.ShardId,
            ConflictResolutions.Manual, now, record.ExternalId, kind, conflict.ChangedFields.Select(f => f.Field).ToList()), target.TenantId,
            cancellationToken: cancellationToken);
        metrics.ConflictDetected(target.AdapterName, ConflictResolutions.Manual);
        return stored;
    }

    /// <summary>The kind of a conflict, from what each side did.</summary>
    public static string KindOf(ThreeWay w) =>
        w.Remote.Deleted ? ConflictKinds.DeletedOnSource : w.Local.Deleted ? ConflictKinds.DeletedOnDestination : ConflictKinds.ConcurrentUpdate;
}
