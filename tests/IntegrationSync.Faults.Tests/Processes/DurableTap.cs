using System.Collections.Concurrent;
using IntegrationSync.TestSupport;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace IntegrationSync.Faults.Tests.Processes;

/// <summary>
/// Everything published to the exchange, as a peer listening on <c>#</c> sees it, kept across broker restarts and dropped
/// connections: a durable queue of its own, a connection that recovers by itself, and acks after each message is kept (an
/// auto-acked delivery in flight when the broker drops the connection would be lost to the tap, though not to the fleet).
/// A delivery the broker sends again after such a drop is kept once (by its message id).
/// </summary>
public sealed class DurableTap : IAsyncDisposable
{
    private readonly ConcurrentQueue<WireMessage> _messages = new();
    private readonly ConcurrentDictionary<string, byte> _seen = new();
    private IConnection _connection = null!;

    public IReadOnlyList<WireMessage> Messages => [.. _messages];

    public static async Task<DurableTap> StartAsync(string url, string exchange)
    {
        var tap = new DurableTap();
        tap._connection = await new ConnectionFactory
        {
            Uri = new Uri(url), AutomaticRecoveryEnabled = true, TopologyRecoveryEnabled = true, NetworkRecoveryInterval = TimeSpan.FromMilliseconds(500),
        }.CreateConnectionAsync();
        var channel = await tap._connection.CreateChannelAsync();
        await channel.ExchangeDeclareAsync(exchange, ExchangeType.Topic, durable: true);
        await channel.QueueDeclareAsync("faults.tap", durable: true, exclusive: false, autoDelete: false);
        await channel.QueueBindAsync("faults.tap", exchange, "#");
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += async (_, delivery) =>
        {
            if (delivery.BasicProperties.MessageId is not { } id || tap._seen.TryAdd(id, 0))
            {
                tap._messages.Enqueue(WireMessage.From(delivery));
            }
            await channel.BasicAckAsync(delivery.DeliveryTag, multiple: false);
        };
        await channel.BasicConsumeAsync("faults.tap", autoAck: false, consumer);
        return tap;
    }

    public async ValueTask DisposeAsync()
    {
        await _connection.CloseAsync();
        _connection.Dispose();
    }
}
