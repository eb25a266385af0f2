using IntegrationSync.Shared.Configuration.Options;
using IntegrationSync.Shared.Contracts;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace IntegrationSync.Shared.Messaging;

/// <summary>
/// Publishes envelopes on one confirm-tracking channel with many publishes in flight (bounded by
/// <c>rabbitmq.publish_window</c>); each call returns only once the broker confirmed its message. While the broker is out
/// of reach (a restart, a dropped connection, a confirm that never comes) every publish not confirmed is sent again, with
/// backoff, until <c>rabbitmq.publish_recovery_seconds</c> have passed; then it throws <see cref="BrokerUnavailableException"/>.
/// A message sent twice this way reaches consumers twice, which they tolerate.
/// </summary>
public sealed class RabbitMqEventPublisher(
    RabbitMqConnection connection,
    ServiceIdentity identity,
    IOptions<RabbitMqOptions> options,
    TimeProvider time,
    ILogger<RabbitMqEventPublisher> logger) : IEventPublisher, IAsyncDisposable
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(2);
    private readonly SemaphoreSlim _window = new(options.Value.PublishWindow, options.Value.PublishWindow);
    private readonly SemaphoreSlim _channelGate = new(1, 1);
    private IChannel? _channel;
    private long _outageSinceTicks;

    public Task PublishAsync<T>(T data, string tenantId, EventMetadata? metadata = null, CancellationToken cancellationToken = default)
        where T : notnull
    {
        var type = EventName.Of<T>();
        var id = Guid.NewGuid().ToString();
        var now = time.GetUtcNow();
        byte[] body;
        try
        {
            // Serialized before the first await: the event object (for a batch, 50 records as JSON trees) is not held
            // until the broker confirms, so it dies young instead of being promoted and marked by every GC meanwhile.
            body = EnvelopeCodec.Serialize(id, type, now, tenantId, identity.Source, data, metadata);
        }
        catch (Exception e)
        {
            // As from an async method: a failure is the task's, not thrown at the caller mid-loop.
            return Task.FromException(e);
        }
        return PublishEnvelopeAsync(type, id, now, tenantId, EventName.IsMandatory<T>(), body, cancellationToken);
    }

    private async Task PublishEnvelopeAsync(
        string type, string id, DateTimeOffset now, string tenantId, bool mandatory, byte[] body, CancellationToken cancellationToken)
    {
        using var activity = MessagingTelemetry.StartPublish(options.Value.Exchange, type);
        activity?.SetTag("messaging.message.id", id);
        var properties = EnvelopeProperties.Create(id, type, identity.Service, now, tenantId);
        MessagingTelemetry.Inject(activity, properties.Headers!);

        await PublishRawAsync(options.Value.Exchange, type, mandatory, properties, body, cancellationToken);
    }

    /// <summary>Confirmed publish of ready-made bytes (also used by the consumer to route retries and parked messages).</summary>
    public async Task PublishRawAsync(
        string exchange, string routingKey, bool mandatory, BasicProperties properties, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        await _window.WaitAsync(cancellationToken);
        try
        {
            var giveUpAt = time.GetUtcNow().AddSeconds(options.Value.PublishRecoverySeconds);
            for (var attempt = 1; ; attempt++)
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(TimeSpan.FromSeconds(options.Value.PublishTimeoutSeconds));
                try
                {
                    var channel = await GetChannelAsync(timeout.Token);
                    await channel.BasicPublishAsync(exchange, routingKey, mandatory, properties, body, timeout.Token);
                    EndOutage();
                    return;
                }
                catch (PublishReturnException e)
                {
                    throw new UnroutableEventException(routingKey, $"{e.ReplyCode} {e.ReplyText}");
                }
                catch (Exception e) when (IsBrokerFault(e, cancellationToken))
                {
                    if (time.GetUtcNow() >= giveUpAt)
                    {
                        throw new BrokerUnavailableException(routingKey, options.Value.PublishRecoverySeconds, e);
                    }
                    StartOutage(routingKey, e);
                    var backoff = TimeSpan.FromMilliseconds(Math.Min(100 * Math.Pow(2, attempt), MaxBackoff.TotalMilliseconds));
                    await Task.Delay(backoff, time, cancellationToken);
                }
            }
        }
        finally
        {
            _window.Release();
        }
    }

    /// <summary>
    /// The broker out of reach, not the message refused: a closed or recovering connection or channel, or a confirm that
    /// did not come in time. A nack (<see cref="PublishException"/>) is the broker's answer to this message and is thrown.
    /// </summary>
    private static bool IsBrokerFault(Exception e, CancellationToken caller) => e switch
    {
        OperationCanceledException => !caller.IsCancellationRequested,
        PublishException => false,
        RabbitMQClientException or IOException or System.Net.Sockets.SocketException => true,
        _ => false,
    };

    private void StartOutage(string routingKey, Exception e)
    {
        if (Interlocked.CompareExchange(ref _outageSinceTicks, time.GetUtcNow().UtcTicks, 0) == 0)
        {
            logger.LogWarning("RabbitMQ out of reach (publishing {RoutingKey}): {Reason}; unconfirmed messages are sent again for up to {Seconds} s",
                routingKey, e.Message, options.Value.PublishRecoverySeconds);
        }
    }

    private void EndOutage()
    {
        if (Volatile.Read(ref _outageSinceTicks) is not 0 and var since && Interlocked.CompareExchange(ref _outageSinceTicks, 0, since) == since)
        {
            logger.LogWarning("RabbitMQ reachable again after {Elapsed}", time.GetUtcNow() - new DateTimeOffset(since, TimeSpan.Zero));
        }
    }

    private async ValueTask<IChannel> GetChannelAsync(CancellationToken cancellationToken)
    {
        if (_channel is { IsOpen: true })
        {
            return _channel;
        }

        await _channelGate.WaitAsync(cancellationToken);
        try
        {
            if (_channel is { IsOpen: true })
            {
                return _channel;
            }
            if (_channel is not null)
            {
                await _channel.DisposeAsync();
            }
            var conn = await connection.GetAsync(cancellationToken);
            // No client-side limiter: the window above bounds what is in flight (the default limiter throttles at half of 128).
            _channel = await conn.CreateChannelAsync(
                new CreateChannelOptions(
                    publisherConfirmationsEnabled: true,
                    publisherConfirmationTrackingEnabled: true,
                    outstandingPublisherConfirmationsRateLimiter: null),
                cancellationToken);
            return _channel;
        }
        finally
        {
            _channelGate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_channel is not null)
        {
            await _channel.DisposeAsync();
        }
        _window.Dispose();
        _channelGate.Dispose();
    }
}
