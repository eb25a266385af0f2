using IntegrationSync.Shared.Configuration.Options;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace IntegrationSync.Shared.Messaging;

/// <summary>One recovering AMQP connection per process, opened on first use.</summary>
public sealed class RabbitMqConnection(IOptions<RabbitMqOptions> options, ServiceIdentity identity, ILogger<RabbitMqConnection> logger)
    : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IConnection? _connection;

    public bool IsOpen => _connection?.IsOpen == true;

    public async Task<IConnection> GetAsync(CancellationToken cancellationToken)
    {
        if (_connection is not null)
        {
            return _connection;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            return _connection ??= await ConnectWithRetryAsync(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<IConnection> ConnectWithRetryAsync(CancellationToken cancellationToken)
    {
        var factory = new ConnectionFactory
        {
            Uri = new Uri(options.Value.Url),
            AutomaticRecoveryEnabled = true,
            // The client's own consumer recovery can drop a consumer and still report success (a basic.consume that
            // times out, a quorum queue not yet up after a restart): each QueueConsumer subscribes again itself.
            TopologyRecoveryEnabled = false,
            NetworkRecoveryInterval = TimeSpan.FromMilliseconds(500),
            RequestedHeartbeat = TimeSpan.FromSeconds(30),
            ClientProvidedName = identity.Instance,
        };

        var deadline = DateTimeOffset.UtcNow.AddSeconds(options.Value.StartupTimeoutSeconds);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var connection = await factory.CreateConnectionAsync(cancellationToken);
                logger.LogInformation("Connected to RabbitMQ {Host}:{Port}", factory.HostName, factory.Port);
                return connection;
            }
            catch (BrokerUnreachableException e) when (DateTimeOffset.UtcNow < deadline)
            {
                var delay = TimeSpan.FromMilliseconds(Math.Min(250 * Math.Pow(2, attempt), 5_000));
                logger.LogWarning("RabbitMQ at {Host}:{Port} unreachable (attempt {Attempt}): {Reason}; retrying in {Delay}",
                    factory.HostName, factory.Port, attempt, e.InnerException?.Message ?? e.Message, delay);
                await Task.Delay(delay, cancellationToken);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.CloseAsync();
            _connection.Dispose();
        }
        _gate.Dispose();
    }
}
