namespace IntegrationSync.Shared.Contracts.Commands;

/// <summary>
/// Work for the runner: push one record's pending Castiel change (its sync state <paramref name="RecordId"/>) to the
/// external system. Sent by event-consumer on <c>shard.updated</c>, by the runner's sweep and by an inbound pull that
/// met a record with an unpushed change. Delivered twice, it pushes once: the push works from the record's state.
/// </summary>
[EventName(EventNames.SyncOutbound, Mandatory = true)]
public sealed record SyncOutbound(
    string ShardId, string IntegrationId, string? ExternalId, string? ShardTypeId, string ChangedAt, string? RecordId = null, string? EntityType = null);
