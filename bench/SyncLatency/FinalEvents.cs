using System.Collections.Concurrent;
using IntegrationSync.Shared.Contracts;
using IntegrationSync.Shared.Messaging;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace IntegrationSync.Bench.SyncLatency;

/// <summary>
/// The final events of syncs (<c>integration.sync.completed|failed|cancelled</c>) as a peer bound to them receives them:
/// a sync is over for the bench when its final event is on the wire. Nothing else is bound, so watching costs the
/// measured fleet nothing (a tap on <c>#</c> would take every record and mapping result too).
/// </summary>
public sealed class FinalEvents : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource<EventEnvelope>> _finals = new();
    private IConnection _connection = null!;
    private IChannel _channel = null!;

    public static async Task<FinalEvents> StartAsync(string url, string exchange)
    {
        var events = new FinalEvents();
        events._connection = await new ConnectionFactory { Uri = new Uri(url) }.CreateConnectionAsync();
        events._channel = await events._connection.CreateChannelAsync();
        await events._channel.ExchangeDeclareAsync(exchange, ExchangeType.Topic, durable: true);
        var queue = await events._channel.QueueDeclareAsync("", durable: false, exclusive: true, autoDelete: true);
        foreach (var type in new[] { EventNames.SyncCompleted, EventNames.SyncFailed, EventNames.SyncCancelled })
        {
            await events._channel.QueueBindAsync(queue.QueueName, exchange, type);
        }
        var consumer = new AsyncEventingBasicConsumer(events._channel);
        consumer.ReceivedAsync += (_, delivery) =>
        {
            if (EnvelopeCodec.TryParse(delivery.Body.Span, out var envelope, out string _)
                && envelope.Data.TryGetProperty("taskId", out var taskId) && taskId.GetString() is { } id)
            {
                events.Of(id).TrySetResult(envelope);
            }
            return Task.CompletedTask;
        };
        await events._channel.BasicConsumeAsync(queue.QueueName, autoAck: true, consumer);
        return events;
    }

    /// <summary>The task's final event, however early it arrived.</summary>
    public Task<EventEnvelope> WaitAsync(string taskId, TimeSpan timeout) => Of(taskId).Task.WaitAsync(timeout);

    private TaskCompletionSource<EventEnvelope> Of(string taskId) =>
        _finals.GetOrAdd(taskId, _ => new TaskCompletionSource<EventEnvelope>(TaskCreationOptions.RunContinuationsAsynchronously));

    public async ValueTask DisposeAsync()
    {
        await _channel.CloseAsync();
        await _connection.CloseAsync();
        _connection.Dispose();
    }
}
