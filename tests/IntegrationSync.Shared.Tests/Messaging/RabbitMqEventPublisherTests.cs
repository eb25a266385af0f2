using System.Text.Json.Nodes;
using IntegrationSync.Shared.Configuration.Options;
using IntegrationSync.Shared.Contracts.Events;
using IntegrationSync.Shared.Messaging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace IntegrationSync.Shared.Tests.Messaging;

public sealed class RabbitMqEventPublisherTests
{
    [Fact]
    public async Task An_event_that_cannot_be_serialized_fails_its_task_instead_of_throwing_at_the_caller()
    {
        var identity = new ServiceIdentity("integration-sync-runner");
        var options = Options.Create(new RabbitMqOptions { Url = "amqp://guest:guest@127.0.0.1:1/" });
        await using var connection = new RabbitMqConnection(options, identity, NullLogger<RabbitMqConnection>.Instance);
        await using var publisher = new RabbitMqEventPublisher(connection, identity, options, TimeProvider.System, NullLogger<RabbitMqEventPublisher>.Instance);
        var unserializable = new DataRaw("i-1", "tenant-1", "ext-1", "t-1", "e-1", new RawRecordMetadata("inbound", null),
            "opportunity", new JsonObject { ["amount"] = double.NaN }, "i-1-ext-1-t-1");

        var publish = publisher.PublishAsync(unserializable, "tenant-1");

        await Assert.ThrowsAnyAsync<ArgumentException>(() => publish);
        Assert.False(connection.IsOpen);
    }
}
