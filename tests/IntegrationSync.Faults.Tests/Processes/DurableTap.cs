using System.Collections.Concurrent;
using IntegrationSync.TestSupport;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace IntegrationSync.Faults.Tests.Processes;

/// <summary>
/// Everything published to the exchange, as a peer listening on <c>#</c> sees it, kept across broker restarts and dropped
/// connections: a durable queue of its own and a connection that recovers by itself.
/// </summary>
public sealed class DurableTap : IAsyncDisposable
{
    private readonly ConcurrentQueue<WireMessage> _messages = new();
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
        consumer.ReceivedAsync += (_, delivery) =>
        {
            tap._messages.Enqueue(WireMessage.From(delivery));
            return Task.CompletedTask;
        };
        await channel.BasicConsumeAsync("faults.tap", autoAck: true, consumer);
        return tap;
    }

    public async ValueTask DisposeAsync()
    {
        await _connection.CloseAsync();
        _connection.Dispose();
    }
}
