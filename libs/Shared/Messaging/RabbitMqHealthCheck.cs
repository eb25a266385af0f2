using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace IntegrationSync.Shared.Messaging;

public sealed class RabbitMqHealthCheck(RabbitMqConnection connection) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(connection.IsOpen
            ? HealthCheckResult.Healthy("connected")
            : HealthCheckResult.Unhealthy("not connected to RabbitMQ"));
}

public static class HealthTags
{
    public const string Ready = "ready";
}
