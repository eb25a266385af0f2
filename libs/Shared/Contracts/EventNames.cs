namespace IntegrationSync.Shared.Contracts;

/// <summary>Every routing key the fleet publishes or consumes; the seed README's names are the contract.</summary>
public static class EventNames
{
    public const string SyncStarted = "integration.sync.started";
    public const string SyncCompleted = "integration.sync.completed";
    public const string SyncFailed = "integration.sync.failed";
    public const string SyncCancelled = "integration.sync.cancelled";
    public const string DataRaw = "integration.data.raw";
    public const string DataRawBatch = "integration.data.raw.batch";
    public const string DocumentDetected = "integration.document.detected";
    public const string EmailReceived = "integration.email.received";
    public const string MessageReceived = "integration.message.received";
    public const string MeetingCompleted = "integration.meeting.completed";
    public const string CalendarEventCreated = "integration.event.created";
    public const string ConflictDetected = "integration.conflict.detected";
    public const string DataSynced = "integration.data.synced";
    public const string SyncCheckDue = "integration.sync.check_due";
    public const string TokenCheckExpiring = "integration.token.check-expiring";
    public const string TokenRefreshed = "integration.token.refreshed";
    public const string TokenRefreshFailed = "integration.token.refresh.failed";

    public const string DataMapped = "integration.data.mapped";
    public const string DataMappingFailed = "integration.data.mapping.failed";
    public const string ShardCreated = "shard.created";
    public const string ShardUpdated = "shard.updated";
    public const string IntegrationDeleted = "integration.deleted";
    public const string IntegrationUpdated = "integration.updated";
    public const string ShardDeleted = "shard.deleted";
    public const string TokenRefreshRequested = "integration.token.refresh-requested";
    public const string SyncScheduled = "integration.sync.scheduled";
    public const string WebhookReceived = "integration.webhook.received";

    public const string SyncRequested = "integration.sync.requested";
    public const string SyncProcessing = "integration.sync.processing";
    public const string SyncCancelRequested = "integration.sync.cancel_requested";
    public const string SyncOutbound = "integration.sync.outbound";
    public const string ConflictResolve = "integration.conflict.resolve";
    public const string DeletionsDecided = "integration.sync.deletions_decided";
}
