using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace IntegrationSync.Shared.Messaging;

public sealed class RabbitMqHealthCheck(RabbitMqConnection connection) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(connection.IsOpen
            ? HealthCheckResult.Healthy("connected")
            : HealthCheckResult.Unhealthy("not connected to RabbitMQ"));
}

/// <summary>Ready only while every queue of the host is consumed: a subscription being made again is not ready.</summary>
public sealed class ConsumersHealthCheck(ActiveConsumers consumers) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var idle = consumers.All.Where(c => !c.IsConsuming).Select(c => c.QueueName).ToList();
        return Task.FromResult(idle.Count == 0
            ? HealthCheckResult.Healthy("consuming")
            : HealthCheckResult.Unhealthy($"not consuming {string.Join(", ", idle)}"));
    }
}

/// <summary>The queue consumers of this host, once started.</summary>
public sealed class ActiveConsumers
{
    private readonly List<QueueConsumer> _consumers = [];

    public IReadOnlyList<QueueConsumer> All
    {
        get
        {
            lock (_consumers)
            {
                return [.. _consumers];
            }
        }
    }

    public void Add(QueueConsumer consumer)
    {
        lock (_consumers)
        {
            _consumers.Add(consumer);
        }
    }
}

public static class HealthTags
{
    public const string Ready = "ready";
}
