using IntegrationSync.Shared.Contracts;

namespace IntegrationSync.Shared.Messaging;

/// <summary>Who publishes: envelope <c>source</c> and AMQP <c>appId</c>.</summary>
public sealed class ServiceIdentity(string service)
{
    public string Service { get; } = service;

    /// <summary><c>&lt;service&gt;-&lt;pid&gt;-&lt;epochMs&gt;</c>, the original's instance format.</summary>
    public string Instance { get; } = $"{service}-{Environment.ProcessId}-{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}";

    public EventSource Source => new(Service, Instance);
}
