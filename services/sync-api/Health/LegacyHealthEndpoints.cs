using IntegrationSync.Shared.Contracts;
using IntegrationSync.Shared.Hosting;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace IntegrationSync.SyncApi.Health;

/// <summary>The original's <c>/health</c> and <c>/ready</c> bodies; <c>/ready</c> now answers 503 when not ready, from the shared <see cref="ReadinessProbe"/>.</summary>
public static class LegacyHealthEndpoints
{
    private const string Service = "integration-sync";

    public static WebApplication MapLegacyHealthEndpoints(this WebApplication app)
    {
        app.MapGet("/health", (TimeProvider time) =>
            Results.Ok(new { status = "healthy", timestamp = IsoTime.Format(time.GetUtcNow()), service = Service }))
            .WithTags("Health").WithSummary("Liveness (the original's body)");

        app.MapGet("/ready", async (ReadinessProbe probe, TimeProvider time, CancellationToken cancellationToken) =>
        {
            var report = await probe.CheckAsync(cancellationToken);
            var ready = report.Status == HealthStatus.Healthy;
            var checks = new Dictionary<string, object>
            {
                ["database"] = new { status = Status(report, "cosmos") },
                ["rabbitmq"] = new { status = Status(report, "rabbitmq") },
            };
            return Results.Json(
                new { status = ready ? "ready" : "not_ready", checks, timestamp = IsoTime.Format(time.GetUtcNow()), service = Service },
                statusCode: ready ? 200 : 503);
        }).WithTags("Health").WithSummary("Readiness: 200 ready, 503 when Cosmos DB or RabbitMQ is unreachable");
        return app;
    }

    private static string Status(HealthReport report, string name) =>
        report.Entries.TryGetValue(name, out var entry) && entry.Status == HealthStatus.Healthy ? "ok" : "error";
}
