using IntegrationSync.Shared.Contracts;

namespace IntegrationSync.Shared.Messaging;

/// <summary>Handles one event type. Delivery is at-least-once: every handler must be idempotent.</summary>
public interface IEventHandler<TEvent>
{
    Task HandleAsync(EventContext<TEvent> context, CancellationToken cancellationToken);
}

public sealed record EventContext<TEvent>(EventEnvelope Envelope, TEvent Data, int Attempt)
{
    /// <summary>The envelope tenant, else the payload's <c>tenantId</c> (some peers send it only there).</summary>
    public string? TenantId(string? fromData) =>
        string.IsNullOrEmpty(Envelope.TenantId) || Envelope.TenantId == "system" ? fromData : Envelope.TenantId;

    /// <summary>The envelope tenant of one of the fleet's own messages, which always carry one; a message without is parked.</summary>
    public string RequiredTenant => string.IsNullOrEmpty(Envelope.TenantId)
        ? throw new PermanentEventException($"{Envelope.Type} without a tenant")
        : Envelope.TenantId;
}

/// <summary>Thrown by a handler for a message that can never succeed: parked at once, not retried.</summary>
public sealed class PermanentEventException(string message) : Exception(message);
