using System.Text;
using IntegrationSync.Shared.Messaging;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace IntegrationSync.Shared.Tests.Messaging;

public sealed class MessagingTests(MessagingHost host) : IClassFixture<MessagingHost>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_failing_handler_is_retried_then_parked_with_its_error_and_the_queue_keeps_flowing()
    {
        var failing = Guid.NewGuid().ToString();
        var healthy = Guid.NewGuid().ToString();

        await host.Publisher.PublishAsync(new Probe(failing, Fail: true), "");
        await host.Publisher.PublishAsync(new Probe(healthy, Fail: false), "");

        await host.WaitForAttemptsAsync(healthy, 1, Wait);
        var parked = Assert.Single(await host.ReadParkedAsync(1, Wait));
        Assert.Equal(3, host.Log.Attempts(failing));
        Assert.Contains($"probe failure {failing}", HeaderValue.AsString(parked.BasicProperties.Headers![MessageHeaders.LastError]));
        Assert.Equal(2, HeaderValue.AsInt(parked.BasicProperties.Headers[MessageHeaders.RetryCount]));
        Assert.Contains(failing, Encoding.UTF8.GetString(parked.Body.Span));
    }

    [Fact]
    public async Task A_malformed_message_is_parked_once_not_looped()
    {
        var healthy = Guid.NewGuid().ToString();
        await using (var connection = await new ConnectionFactory { Uri = new Uri(host.Url) }.CreateConnectionAsync())
        await using (var channel = await connection.CreateChannelAsync())
        {
            await channel.BasicPublishAsync(host.Exchange, "it.probe.sent", Encoding.UTF8.GetBytes("{not json"));
        }
        await host.Publisher.PublishAsync(new Probe(healthy, Fail: false), "");

        await host.WaitForAttemptsAsync(healthy, 1, Wait);
        var parked = Assert.Single(await host.ReadParkedAsync(1, Wait));
        Assert.Contains("malformed message", HeaderValue.AsString(parked.BasicProperties.Headers![MessageHeaders.LastError]));
        Assert.Equal("{not json", Encoding.UTF8.GetString(parked.Body.Span));
    }

    [Fact]
    public async Task A_publish_the_broker_refuses_surfaces_as_an_error()
    {
        await using (var connection = await new ConnectionFactory { Uri = new Uri(host.Url) }.CreateConnectionAsync())
        await using (var channel = await connection.CreateChannelAsync())
        {
            var full = await channel.QueueDeclareAsync("", durable: false, exclusive: false, autoDelete: false,
                arguments: new Dictionary<string, object?> { ["x-max-length"] = 0, ["x-overflow"] = "reject-publish" });
            await channel.QueueBindAsync(full.QueueName, host.Exchange, "it.probe.rejected");
        }

        await Assert.ThrowsAsync<PublishException>(() => host.Publisher.PublishAsync(new RejectedProbe("x"), ""));
    }

    [Fact]
    public async Task An_unroutable_command_is_an_error_not_a_silent_drop()
    {
        await Assert.ThrowsAsync<UnroutableEventException>(() => host.Publisher.PublishAsync(new UnboundCommand("x"), ""));
    }

    [Fact]
    public async Task A_published_event_carries_the_original_amqp_properties()
    {
        await using var connection = await new ConnectionFactory { Uri = new Uri(host.Url) }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        var tap = await channel.QueueDeclareAsync("", durable: false, exclusive: true, autoDelete: true);
        await channel.QueueBindAsync(tap.QueueName, host.Exchange, "it.probe.rejected");
        var tenant = Guid.NewGuid().ToString();

        await host.Publisher.PublishAsync(new RejectedProbe("props"), tenant);

        BasicGetResult? message = null;
        for (var i = 0; i < 100 && message is null; i++)
        {
            message = await channel.BasicGetAsync(tap.QueueName, autoAck: true) ?? await DelayNull();
        }
        Assert.NotNull(message);
        var props = message.BasicProperties;
        Assert.Equal((DeliveryModes.Persistent, "it.probe.rejected", "shared-tests", "application/json"), (props.DeliveryMode, props.Type, props.AppId, props.ContentType));
        Assert.True(EnvelopeCodec.TryParse(message.Body.Span, out var envelope, out _));
        Assert.Equal(envelope.Id, props.MessageId);
        Assert.Equal(tenant, HeaderValue.AsString(props.Headers!["tenantId"]));
        Assert.Equal("1.0", HeaderValue.AsString(props.Headers["version"]));
        Assert.InRange(props.Timestamp.UnixTime, DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeMilliseconds(), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
    }

    private static async Task<BasicGetResult?> DelayNull()
    {
        await Task.Delay(50);
        return null;
    }
}
