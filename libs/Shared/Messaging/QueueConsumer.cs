using System.Diagnostics;
using IntegrationSync.Shared.Configuration.Options;
using IntegrationSync.Shared.Contracts;
using IntegrationSync.Shared.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace IntegrationSync.Shared.Messaging;

/// <summary>
/// Consumes one queue: dispatches by envelope type, acks only after the handler succeeded, sends
/// failures through growing delays to the parking queue with the last error, parks malformed
/// messages at once, and drains in-flight handlers on shutdown. A subscription the broker ends (a channel closed by an
/// error or by <c>consumer_timeout</c>, a consumer cancelled by the broker, a connection recovered after a drop or a
/// broker restart) is made again; meanwhile <see cref="IsConsuming"/> is false and the host reports not ready.
/// </summary>
public sealed class QueueConsumer(
    ConsumerRegistration registration,
    FleetTopology topology,
    RabbitMqConnection connection,
    ActiveConsumers active,
    RabbitMqEventPublisher publisher,
    RabbitMqOptions options,
    IServiceProvider services,
    TimeProvider time,
    ILogger<QueueConsumer> logger) : IHostedService, IDisposable
{
    private readonly QueueDefinition _queue = registration.SelectQueue(topology);
    private static readonly TimeSpan SupervisionInterval = TimeSpan.FromSeconds(1);
    private readonly CancellationTokenSource _handlerAbort = new();
    private readonly CancellationTokenSource _stopping = new();
    private SemaphoreSlim? _handlerSlots;
    private IChannel? _channel;
    private string? _consumerTag;
    private volatile bool _cancelledByBroker;
    private volatile bool _connectionRecovered;
    private int _concurrency;
    private ConsumerLimits _limits = null!;
    private Task _supervision = Task.CompletedTask;

    public string QueueName => _queue.Name;

    /// <summary>Subscribed on an open channel: what readiness reports.</summary>
    public bool IsConsuming => _channel is { IsOpen: true } && !_cancelledByBroker && !_connectionRecovered;

    /// <summary>How long the delivery handled last had waited in the queue (from its AMQP timestamp), in seconds.</summary>
    public double LastLagSeconds { get; private set; }

    /// <summary>Declares the queue and subscribes before the host reports started, so a started host is consuming.</summary>
    public async Task StartAsync(CancellationToken stoppingToken)
    {
        // A handler whose event type the queue is not bound to would never be called: refuse to start instead.
        if (registration.EventTypes.Except(_queue.RoutingKeys).ToList() is { Count: > 0 } unbound)
        {
            throw new InvalidOperationException($"{_queue.Name} has handlers for {string.Join(", ", unbound)} but no binding: add them to FleetTopology");
        }
        _limits = registration.Limits?.Invoke(services) ?? new ConsumerLimits(options.Prefetch, options.ConsumerConcurrency);
        // One dispatch loop hands each delivery to its own task; the concurrency limit is ours. The client's own
        // dispatch concurrency would park one loop per slot on its channel, and a busy consumer needs thousands.
        _concurrency = _limits.Concurrency;
        _handlerSlots = new SemaphoreSlim(_limits.Concurrency, _limits.Concurrency);
        await SubscribeAsync(stoppingToken);
        // The recovered connection carries no consumer (topology recovery is off): the supervision subscribes again.
        (await connection.GetAsync(stoppingToken)).RecoverySucceededAsync += (_, _) =>
        {
            _connectionRecovered = true;
            return Task.CompletedTask;
        };
        active.Add(this);
        logger.LogInformation("Consuming {Queue} for {EventTypes}", _queue.Name, registration.EventTypes);
        _supervision = SuperviseAsync(_stopping.Token);
    }

    private async Task SubscribeAsync(CancellationToken cancellationToken)
    {
        var conn = await connection.GetAsync(cancellationToken);
        var channel = await conn.CreateChannelAsync(new CreateChannelOptions(false, false), cancellationToken);
        try
        {
            await ConsumeAsync(channel, cancellationToken);
        }
        catch
        {
            await channel.DisposeAsync();
            throw;
        }
        var previous = Interlocked.Exchange(ref _channel, channel);
        _cancelledByBroker = false;
        _connectionRecovered = false;
        if (previous is not null)
        {
            await previous.DisposeAsync();
        }
    }

    private async Task ConsumeAsync(IChannel channel, CancellationToken cancellationToken)
    {
        await TopologyDeclarer.DeclareQueueAsync(channel, topology.Exchange, _queue, options, cancellationToken);
        await channel.BasicQosAsync(0, _limits.Prefetch, global: false, cancellationToken);

        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += (_, delivery) => StartHandlingAsync(channel, delivery);
        consumer.UnregisteredAsync += (_, _) =>
        {
            // Our own cancel at shutdown, or the broker's (the queue was deleted or failed over): only the latter is made good.
            if (ReferenceEquals(_channel, channel))
            {
                _cancelledByBroker = !_stopping.IsCancellationRequested;
            }
            return Task.CompletedTask;
        };
        _consumerTag = await channel.BasicConsumeAsync(_queue.Name, autoAck: false, consumer, cancellationToken);
    }

    /// <summary>
    /// Makes the subscription again when the broker ended it, or on the connection the client's automatic recovery restored
    /// (which waits while the connection is down).
    /// </summary>
    private async Task SuperviseAsync(CancellationToken stopping)
    {
        var lostSince = (DateTimeOffset?)null;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(SupervisionInterval, time, stopping);
                if (IsConsuming || !connection.IsOpen)
                {
                    lostSince = null;
                    continue;
                }
                lostSince ??= time.GetUtcNow();
                if (!_connectionRecovered && time.GetUtcNow() - lostSince < SupervisionInterval * 2)
                {
                    continue;
                }
                logger.LogWarning("Subscription to {Queue} ended by the broker ({Reason}); subscribing again", _queue.Name,
                    _connectionRecovered ? "connection recovered" : _cancelledByBroker ? "consumer cancelled" : _channel?.CloseReason?.ReplyText ?? "channel closed");
                await SubscribeAsync(stopping);
                lostSince = null;
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogWarning("Could not subscribe to {Queue} again: {Reason}", _queue.Name, e.Message);
            }
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await _supervision;
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

    private async Task StartHandlingAsync(IChannel channel, BasicDeliverEventArgs delivery)
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
        _ = Task.Run(() => HandleDeliveryAsync(channel, copy));
    }

    /// <summary>Acks and nacks go to the channel the delivery came on: its tag means nothing on a newer one.</summary>
    private async Task HandleDeliveryAsync(IChannel channel, BasicDeliverEventArgs delivery)
    {
        var headers = delivery.BasicProperties.Headers;
        using var activity = MessagingTelemetry.StartReceive(_queue.Name, delivery.RoutingKey, headers);
        LastLagSeconds = LagSeconds(delivery.BasicProperties);
        try
        {
            var retries = headers is not null && headers.TryGetValue(MessageHeaders.RetryCount, out var count) ? HeaderValue.AsInt(count) : 0;
            if (!EnvelopeCodec.TryParse(delivery.Body.Span, out var envelope, out var malformed))
            {
                await RouteFailureAsync(channel, delivery, retries, $"malformed message: {malformed}", permanent: true);
                return;
            }
            activity?.SetTag("messaging.message.id", envelope.Id);
            if (!registration.TryGetDispatcher(envelope.Type, out var dispatch))
            {
                await RouteFailureAsync(channel, delivery, retries, $"no handler for event type '{envelope.Type}' on {_queue.Name}", permanent: true);
                return;
            }

            try
            {
                await dispatch(services, envelope, retries + 1, _handlerAbort.Token);
            }
            catch (OperationCanceledException) when (_handlerAbort.IsCancellationRequested)
            {
                await channel.BasicNackAsync(delivery.DeliveryTag, multiple: false, requeue: true);
                return;
            }
            catch (Exception e)
            {
                activity?.SetStatus(ActivityStatusCode.Error, e.Message);
                await RouteFailureAsync(channel, delivery, retries, $"{e.GetType().Name}: {e.Message}", permanent: e is PermanentEventException,
                    outage: CosmosRetry.IsTransient(e));
                return;
            }
            await channel.BasicAckAsync(delivery.DeliveryTag, multiple: false);
        }
        catch (Exception e)
        {
            // Could not ack or route the failure (channel or broker trouble): the broker redelivers the message.
            logger.LogError(e, "Delivery {DeliveryTag} on {Queue} left unacknowledged", delivery.DeliveryTag, _queue.Name);
            if (channel.IsOpen)
            {
                await channel.BasicNackAsync(delivery.DeliveryTag, multiple: false, requeue: true);
            }
        }
        finally
        {
            _handlerSlots!.Release();
        }
    }

    private async Task RouteFailureAsync(
        IChannel channel, BasicDeliverEventArgs delivery, int previousRetries, string error, bool permanent, bool outage = false)
    {
        var route = FailurePolicy.Route(_queue, options.RetryDelaysMs, previousRetries, permanent, outage);
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
        await channel.BasicAckAsync(delivery.DeliveryTag, multiple: false);
    }

    /// <summary>The envelope's AMQP timestamp is in milliseconds (the original's convention); other publishers may send seconds.</summary>
    private double LagSeconds(IReadOnlyBasicProperties properties)
    {
        if (!properties.IsTimestampPresent())
        {
            return 0;
        }
        var stamp = properties.Timestamp.UnixTime;
        var sent = stamp > 100_000_000_000 ? DateTimeOffset.FromUnixTimeMilliseconds(stamp) : DateTimeOffset.FromUnixTimeSeconds(stamp);
        return Math.Max(0, (time.GetUtcNow() - sent).TotalSeconds);
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
        _stopping.Dispose();
        _handlerSlots?.Dispose();
    }
}
