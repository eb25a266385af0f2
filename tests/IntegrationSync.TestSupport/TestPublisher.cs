using IntegrationSync.Shared.Configuration.Options;
using IntegrationSync.Shared.Contracts;
using IntegrationSync.Shared.Messaging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace IntegrationSync.TestSupport;

/// <summary>The production publisher, pointed at a test exchange: how a peer's events reach the hosts under test.</summary>
public sealed class TestPublisher : IAsyncDisposable
{
    private readonly RabbitMqConnection _connection;
    private readonly RabbitMqEventPublisher _publisher;

    public TestPublisher(string url, string exchange, string service = "test-peer")
    {
        var options = Options.Create(new RabbitMqOptions { Url = url, Exchange = exchange });
        var identity = new ServiceIdentity(service);
        _connection = new RabbitMqConnection(options, identity, NullLogger<RabbitMqConnection>.Instance);
        _publisher = new RabbitMqEventPublisher(_connection, identity, options, TimeProvider.System, NullLogger<RabbitMqEventPublisher>.Instance);
    }

    public Task PublishAsync<T>(T data, string tenantId, EventMetadata? metadata = null) where T : notnull =>
        _publisher.PublishAsync(data, tenantId, metadata);

    public async ValueTask DisposeAsync()
    {
        await _publisher.DisposeAsync();
        await _connection.DisposeAsync();
    }
}
