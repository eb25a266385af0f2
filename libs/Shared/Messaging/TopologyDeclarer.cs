using IntegrationSync.Shared.Configuration.Options;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;

namespace IntegrationSync.Shared.Messaging;

/// <summary>Idempotent declaration of the exchange and every queue of the fleet with its retry and parking queues.</summary>
public sealed class TopologyDeclarer(RabbitMqConnection connection, FleetTopology topology, IOptions<RabbitMqOptions> options)
{
    public async Task DeclareAsync(CancellationToken cancellationToken)
    {
        var conn = await connection.GetAsync(cancellationToken);
        await using var channel = await conn.CreateChannelAsync(cancellationToken: cancellationToken);
        await channel.ExchangeDeclareAsync(topology.Exchange, ExchangeType.Topic, durable: true, autoDelete: false, cancellationToken: cancellationToken);
        foreach (var queue in topology.Queues)
        {
            await DeclareQueueAsync(channel, topology.Exchange, queue, options.Value, cancellationToken);
        }
    }

    public static async Task DeclareQueueAsync(
        IChannel channel, string exchange, QueueDefinition queue, RabbitMqOptions options, CancellationToken cancellationToken)
    {
        await channel.QueueDeclareAsync(queue.DeadLetterQueue, durable: true, exclusive: false, autoDelete: false,
            arguments: new Dictionary<string, object?> { ["x-queue-type"] = "quorum" }, cancellationToken: cancellationToken);

        // A delivery that keeps crashing its consumer (so never reaches our retry logic) is parked by the broker.
        await channel.QueueDeclareAsync(queue.Name, durable: true, exclusive: false, autoDelete: false,
            arguments: new Dictionary<string, object?>
            {
                ["x-queue-type"] = "quorum",
                ["x-delivery-limit"] = options.DeliveryLimit,
                ["x-dead-letter-exchange"] = "",
                ["x-dead-letter-routing-key"] = queue.DeadLetterQueue,
                ["x-dead-letter-strategy"] = "at-least-once",
                ["x-overflow"] = "reject-publish",
            },
            cancellationToken: cancellationToken);

        foreach (var delay in options.RetryDelaysMs.Distinct())
        {
            await channel.QueueDeclareAsync(queue.RetryQueue(delay), durable: true, exclusive: false, autoDelete: false,
                arguments: new Dictionary<string, object?>
                {
                    ["x-message-ttl"] = delay,
                    ["x-dead-letter-exchange"] = "",
                    ["x-dead-letter-routing-key"] = queue.Name,
                },
                cancellationToken: cancellationToken);
        }

        foreach (var key in queue.RoutingKeys)
        {
            await channel.QueueBindAsync(queue.Name, exchange, key, cancellationToken: cancellationToken);
        }
    }
}
