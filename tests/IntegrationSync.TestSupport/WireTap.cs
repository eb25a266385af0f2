using System.Collections.Concurrent;
using System.Text.Json;
using IntegrationSync.Shared.Contracts;
using IntegrationSync.Shared.Messaging;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace IntegrationSync.TestSupport;

/// <summary>Records every message published to an exchange, as a peer listening on <c>#</c> would see it.</summary>
public sealed class WireTap : IAsyncDisposable
{
    private readonly IConnection _connection;
    private readonly IChannel _channel;
    private readonly ConcurrentQueue<WireMessage> _messages = new();

    private WireTap(IConnection connection, IChannel channel)
    {
        _connection = connection;
        _channel = channel;
    }

    public static async Task<WireTap> StartAsync(string url, string exchange)
    {
        var connection = await new ConnectionFactory { Uri = new Uri(url) }.CreateConnectionAsync();
        var channel = await connection.CreateChannelAsync();
        await channel.ExchangeDeclareAsync(exchange, ExchangeType.Topic, durable: true);
        var queue = await channel.QueueDeclareAsync("", durable: false, exclusive: true, autoDelete: true);
        await channel.QueueBindAsync(queue.QueueName, exchange, "#");
        var tap = new WireTap(connection, channel);
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += (_, delivery) =>
        {
            tap._messages.Enqueue(WireMessage.From(delivery));
            return Task.CompletedTask;
        };
        await channel.BasicConsumeAsync(queue.QueueName, autoAck: true, consumer);
        return tap;
    }

    public IReadOnlyList<WireMessage> Messages => [.. _messages];

    public IReadOnlyList<WireMessage> OfType(string type) => Messages.Where(m => m.Envelope.Type == type).ToList();

    /// <summary>Waits until <paramref name="condition"/> holds over what was recorded (a wait, not a timing assertion).</summary>
    public async Task WaitUntilAsync(Func<IReadOnlyList<WireMessage>, bool> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition(Messages))
        {
            if (DateTime.UtcNow > deadline)
            {
                var seen = string.Join(", ", Messages.GroupBy(m => m.Envelope.Type).Select(g => $"{g.Key}×{g.Count()}"));
                throw new TimeoutException($"Timed out waiting for {what}; on the wire: {seen}");
            }
            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _channel.CloseAsync();
        await _connection.CloseAsync();
        _connection.Dispose();
    }
}

public sealed record WireMessage(string RoutingKey, EventEnvelope Envelope, IReadOnlyBasicProperties Properties, byte[] Body)
{
    public T Data<T>() => Envelope.Data.Deserialize<T>(ContractJson.Options)!;

    public static WireMessage From(BasicDeliverEventArgs delivery)
    {
        var body = delivery.Body.ToArray();
        EnvelopeCodec.TryParse(body, out var envelope, out _);
        return new WireMessage(delivery.RoutingKey, envelope, delivery.BasicProperties, body);
    }
}
