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

    /// <summary>Work, cancels of paused runs, the final events that free tenant slots, and pushes and resolutions of bidirectional sync.</summary>
    public QueueDefinition Runner { get; } = new($"{options.QueuePrefix}.runner",
    [
        EventNames.SyncRequested, EventNames.SyncCancelRequested, EventNames.SyncScheduled, EventNames.WebhookReceived,
        EventNames.SyncCompleted, EventNames.SyncFailed, EventNames.SyncCancelled, EventNames.SyncOutbound, EventNames.ConflictResolve,
    ]);

    /// <summary>Mapping results, the hand-over of published executions, cancels of processing ones, and shard changes.</summary>
    public QueueDefinition EventConsumer { get; } = new($"{options.QueuePrefix}.event_consumer",
    [
        EventNames.DataMapped, EventNames.DataMappingFailed, EventNames.SyncProcessing, EventNames.SyncCancelRequested, EventNames.ShardUpdated,
        EventNames.ShardDeleted,
    ]);

    public QueueDefinition TokenRefresher { get; } = new(
        $"{options.QueuePrefix}.token_refresher", [EventNames.TokenRefreshRequested]);

    public IReadOnlyList<QueueDefinition> Queues => [Runner, EventConsumer, TokenRefresher];
}
