using System.Diagnostics;
using IntegrationSync.Shared.Configuration.Options;
using IntegrationSync.Shared.Contracts;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace IntegrationSync.Shared.Messaging;

/// <summary>
/// Consumes one queue: dispatches by envelope type, acks only after the handler succeeded, sends
/// failures through growing delays to the parking queue with the last error, parks malformed
/// messages at once, and drains in-flight handlers on shutdown.
/// </summary>
public sealed class QueueConsumer(
    ConsumerRegistration registration,
    FleetTopology topology,
    RabbitMqConnection connection,
    RabbitMqEventPublisher publisher,
    RabbitMqOptions options,
    IServiceProvider services,
    TimeProvider time,
    ILogger<QueueConsumer> logger) : IHostedService, IDisposable
{
    private readonly QueueDefinition _queue = registration.SelectQueue(topology);
    private readonly CancellationTokenSource _handlerAbort = new();
    private SemaphoreSlim? _handlerSlots;
    private IChannel? _channel;
    private string? _consumerTag;
    private int _concurrency;

    /// <summary>Declares the queue and subscribes before the host reports started, so a started host is consuming.</summary>
    public async Task StartAsync(CancellationToken stoppingToken)
    {
        var limits = registration.Limits?.Invoke(services) ?? new ConsumerLimits(options.Prefetch, options.ConsumerConcurrency);
        var conn = await connection.GetAsync(stoppingToken);
        // One dispatch loop hands each delivery to its own task; the concurrency limit is ours. The client's own
        // dispatch concurrency would park one loop per slot on its channel, and a busy consumer needs thousands.
        _concurrency = limits.Concurrency;
        _handlerSlots = new SemaphoreSlim(limits.Concurrency, limits.Concurrency);
        _channel = await conn.CreateChannelAsync(new CreateChannelOptions(false, false), stoppingToken);
        await TopologyDeclarer.DeclareQueueAsync(_channel, topology.Exchange, _queue, options, stoppingToken);
        await _channel.BasicQosAsync(0, limits.Prefetch, global: false, stoppingToken);

        var consumer = new AsyncEventingBasicConsumer(_channel);
        consumer.ReceivedAsync += (_, delivery) => StartHandlingAsync(delivery);
        _consumerTag = await _channel.BasicConsumeAsync(_queue.Name, autoAck: false, consumer, stoppingToken);
        logger.LogInformation("Consuming {Queue} for {EventTypes}", _queue.Name, registration.EventTypes);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_channel is { IsOpen: true } && _consumerTag is not null)
        {
            await _channel.BasicCancelAsync(_consumerTag, noWait: false, cancellationToken);
        }

        var drainUntil = time.GetUtcNow().AddSeconds(options.ShutdownDrainSeconds);
        // A taken handler slot is a delivery still being handled.
        while (_handlerSlots is not null && _handlerSlots.CurrentCount < _concurrency && time.GetUtcNow() < drainUntil && !cancellationToken.IsCancellationRequested)
        {
            await Task.Delay(50, CancellationToken.None);
        }
        // Handlers still running are cancelled; their messages are returned to the queue, not acked.
        await _handlerAbort.CancelAsync();
        if (_channel is not null)
        {
            await _channel.CloseAsync(CancellationToken.None);
            await _channel.DisposeAsync();
        }
    }

    private async Task StartHandlingAsync(BasicDeliverEventArgs delivery)
    {
        try
        {
            await _handlerSlots!.WaitAsync(_handlerAbort.Token);
        }
        catch (OperationCanceledException)
        {
            return; // stopping: the unacked delivery goes back to the queue when the channel closes
        }
        // The client reuses the body's memory once this callback returns.
        var copy = new BasicDeliverEventArgs(delivery.ConsumerTag, delivery.DeliveryTag, delivery.Redelivered, delivery.Exchange,
            delivery.RoutingKey, delivery.BasicProperties, delivery.Body.ToArray());
        _ = Task.Run(() => HandleDeliveryAsync(copy));
    }

    private async Task HandleDeliveryAsync(BasicDeliverEventArgs delivery)
    {
        var headers = delivery.BasicProperties.Headers;
        using var activity = MessagingTelemetry.StartReceive(_queue.Name, delivery.RoutingKey, headers);
        try
        {
            var retries = headers is not null && headers.TryGetValue(MessageHeaders.RetryCount, out var count) ? HeaderValue.AsInt(count) : 0;
            if (!EnvelopeCodec.TryParse(delivery.Body.Span, out var envelope, out var malformed))
            {
                await RouteFailureAsync(delivery, retries, $"malformed message: {malformed}", permanent: true);
                return;
            }
            activity?.SetTag("messaging.message.id", envelope.Id);
            if (!registration.TryGetDispatcher(envelope.Type, out var dispatch))
            {
                await RouteFailureAsync(delivery, retries, $"no handler for event type '{envelope.Type}' on {_queue.Name}", permanent: true);
                return;
            }

            try
            {
                await dispatch(services, envelope, retries + 1, _handlerAbort.Token);
            }
            catch (OperationCanceledException) when (_handlerAbort.IsCancellationRequested)
            {
                await _channel!.BasicNackAsync(delivery.DeliveryTag, multiple: false, requeue: true);
                return;
            }
            catch (Exception e)
            {
                activity?.SetStatus(ActivityStatusCode.Error, e.Message);
                await RouteFailureAsync(delivery, retries, $"{e.GetType().Name}: {e.Message}", permanent: e is PermanentEventException);
                return;
            }
            await _channel!.BasicAckAsync(delivery.DeliveryTag, multiple: false);
        }
        catch (Exception e)
        {
            // Could not ack or route the failure (channel or broker trouble): the broker redelivers the message.
            logger.LogError(e, "Delivery {DeliveryTag} on {Queue} left unacknowledged", delivery.DeliveryTag, _queue.Name);
            if (_channel is { IsOpen: true })
            {
                await _channel.BasicNackAsync(delivery.DeliveryTag, multiple: false, requeue: true);
            }
        }
        finally
        {
            _handlerSlots!.Release();
        }
    }

    private async Task RouteFailureAsync(BasicDeliverEventArgs delivery, int previousRetries, string error, bool permanent)
    {
        var route = FailurePolicy.Route(_queue, options.RetryDelaysMs, previousRetries, permanent);
        if (route.Parked)
        {
            logger.LogError("Parking message {MessageId} from {Queue} in {Dlq}: {Error}",
                delivery.BasicProperties.MessageId, _queue.Name, route.Queue, error);
        }
        else
        {
            logger.LogWarning("Message {MessageId} from {Queue} failed (retry {Retry} via {RetryQueue}): {Error}",
                delivery.BasicProperties.MessageId, _queue.Name, route.RetryCount, route.Queue, error);
        }

        var properties = CopyProperties(delivery.BasicProperties);
        properties.Headers![MessageHeaders.RetryCount] = route.RetryCount;
        properties.Headers[MessageHeaders.LastError] = error.Length > 2000 ? error[..2000] : error;
        properties.Headers[MessageHeaders.OriginalQueue] = _queue.Name;
        if (route.Parked)
        {
            properties.Headers[MessageHeaders.FailedAt] = IsoTime.Format(time.GetUtcNow());
        }

        await publisher.PublishRawAsync("", route.Queue, mandatory: true, properties, delivery.Body, _handlerAbort.Token);
        await _channel!.BasicAckAsync(delivery.DeliveryTag, multiple: false);
    }

    private static BasicProperties CopyProperties(IReadOnlyBasicProperties source)
    {
        var headers = source.Headers is null
            ? new Dictionary<string, object?>()
            : source.Headers.Where(h => h.Key != MessageHeaders.Death).ToDictionary(h => h.Key, h => h.Value);
        return new BasicProperties
        {
            Persistent = true,
            MessageId = source.MessageId,
            Type = source.Type,
            AppId = source.AppId,
            Timestamp = source.Timestamp,
            ContentType = source.ContentType,
            Headers = headers,
        };
    }

    public void Dispose()
    {
        _handlerAbort.Dispose();
        _handlerSlots?.Dispose();
    }
}
