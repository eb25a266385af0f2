using IntegrationSync.Shared.Contracts;

namespace IntegrationSync.Shared.Messaging;

public interface IEventPublisher
{
    /// <summary>Completes when the broker has confirmed the message; throws when it did not.</summary>
    Task PublishAsync<T>(T data, string tenantId, EventMetadata? metadata = null, CancellationToken cancellationToken = default)
        where T : notnull;
}

/// <summary>An internal command had no queue bound to it: a configuration error, never a silent drop.</summary>
public sealed class UnroutableEventException(string routingKey, string reason)
    : Exception($"No queue is bound for '{routingKey}' ({reason}).");

/// <summary>The broker stayed out of reach for <c>rabbitmq.publish_recovery_seconds</c>: an outage, not a property of the message.</summary>
public sealed class BrokerUnavailableException(string routingKey, int seconds, Exception inner)
    : Exception($"RabbitMQ did not confirm '{routingKey}' within {seconds} s of retries: {inner.Message}", inner);
