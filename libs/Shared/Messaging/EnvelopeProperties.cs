using IntegrationSync.Shared.Contracts;
using RabbitMQ.Client;

namespace IntegrationSync.Shared.Messaging;

/// <summary>The AMQP properties and headers every envelope travels with (the wire contract next to the body).</summary>
public static class EnvelopeProperties
{
    public static BasicProperties Create(string id, string type, string appId, DateTimeOffset timestamp, string tenantId) => new()
    {
        Persistent = true,
        MessageId = id,
        Type = type,
        AppId = appId,
        Timestamp = new AmqpTimestamp(timestamp.ToUnixTimeMilliseconds()),
        ContentType = MessageHeaders.ContentType,
        Headers = new Dictionary<string, object?>
        {
            [MessageHeaders.TenantId] = tenantId,
            [MessageHeaders.Version] = EventEnvelope.CurrentVersion,
        },
    };
}
