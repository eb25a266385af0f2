using IntegrationSync.Shared.Configuration.Options;
using IntegrationSync.Shared.Contracts;

namespace IntegrationSync.Shared.Messaging;

/// <summary>
/// Every queue of the fleet. Each host declares all of them at start-up, so no work message is ever
/// published before the queue that will consume it exists.
/// </summary>
public sealed class FleetTopology(RabbitMqOptions options)
{
    public string Exchange => options.Exchange;

    /// <summary>
    /// Work, cancels of paused runs, the final events that free tenant slots, pushes and resolutions of bidirectional sync,
    /// decisions on held deletions, and integration-manager's integration lifecycle.
    /// </summary>
    public QueueDefinition Runner { get; } = new($"{options.QueuePrefix}.runner",
    [
        EventNames.SyncRequested, EventNames.SyncCancelRequested, EventNames.SyncScheduled, EventNames.WebhookReceived,
        EventNames.SyncCompleted, EventNames.SyncFailed, EventNames.SyncCancelled, EventNames.SyncOutbound, EventNames.ConflictResolve,
        EventNames.DeletionsDecided, EventNames.IntegrationDeleted, EventNames.IntegrationUpdated,
    ]);

    /// <summary>Mapping results, the hand-over of published executions, cancels of processing ones, and shard changes (creations teach the links of vendor records).</summary>
    public QueueDefinition EventConsumer { get; } = new($"{options.QueuePrefix}.event_consumer",
    [
        EventNames.DataMapped, EventNames.DataMappingFailed, EventNames.SyncProcessing, EventNames.SyncCancelRequested, EventNames.ShardCreated,
        EventNames.ShardUpdated, EventNames.ShardDeleted,
    ]);

    public QueueDefinition TokenRefresher { get; } = new(
        $"{options.QueuePrefix}.token_refresher", [EventNames.TokenRefreshRequested]);

    /// <summary>
    /// Lifecycle events fanned out to tenants' webhook registrations (event-consumer). A queue of its own: a backlog of
    /// mapping results never delays a delivery, deliveries never take the statistics' prefetch and handler slots, and its
    /// depth, retries and parked messages are seen apart.
    /// </summary>
    public QueueDefinition Webhooks { get; } = new($"{options.QueuePrefix}.webhooks",
    [
        EventNames.SyncStarted, EventNames.SyncCompleted, EventNames.SyncFailed, EventNames.SyncCancelled, EventNames.ConflictDetected,
        EventNames.DataSynced, EventNames.TokenRefreshed, EventNames.TokenRefreshFailed,
    ]);

    public IReadOnlyList<QueueDefinition> Queues => [Runner, EventConsumer, TokenRefresher, Webhooks];
}
