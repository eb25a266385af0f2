using IntegrationSync.Shared.Configuration.Options;
using IntegrationSync.Shared.Contracts;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace IntegrationSync.Shared.Messaging;

/// <summary>
/// Publishes envelopes on one confirm-tracking channel with many publishes in flight (bounded by
/// <c>rabbitmq.publish_window</c>); each call returns only once the broker confirmed its message.
/// </summary>
public sealed class RabbitMqEventPublisher(
    RabbitMqConnection connection,
    ServiceIdentity identity,
    IOptions<RabbitMqOptions> options,
    TimeProvider time,
    ILogger<RabbitMqEventPublisher> logger) : IEventPublisher, IAsyncDisposable
{
    private const int MaxAttempts = 3;
    private readonly SemaphoreSlim _window = new(options.Value.PublishWindow, options.Value.PublishWindow);
    private readonly SemaphoreSlim _channelGate = new(1, 1);
    private IChannel? _channel;

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
            for (var attempt = 1; ; attempt++)
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(TimeSpan.FromSeconds(options.Value.PublishTimeoutSeconds));
                try
                {
                    var channel = await GetChannelAsync(cancellationToken);
                    await channel.BasicPublishAsync(exchange, routingKey, mandatory, properties, body, timeout.Token);
                    return;
                }
                catch (PublishReturnException e)
                {
                    throw new UnroutableEventException(routingKey, $"{e.ReplyCode} {e.ReplyText}");
                }
                catch (AlreadyClosedException e) when (attempt < MaxAttempts)
                {
                    // The connection is recovering; a message not confirmed may be sent twice, which consumers tolerate.
                    logger.LogWarning("Publish of {RoutingKey} hit a closed channel (attempt {Attempt}): {Reason}", routingKey, attempt, e.Message);
                    await Task.Delay(TimeSpan.FromMilliseconds(500 * attempt), cancellationToken);
                }
            }
        }
        finally
        {
            _window.Release();
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
