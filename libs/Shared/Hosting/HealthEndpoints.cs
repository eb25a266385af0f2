using System.Text.Json;
using IntegrationSync.Shared.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace IntegrationSync.Shared.Hosting;

public static class HealthEndpoints
{
    /// <summary>
    /// <c>/health/live</c> (the process answers) and <c>/health/ready</c> (broker and Cosmos reachable; 503 otherwise),
    /// checked through the <see cref="ReadinessProbe"/>. Anyone gets the status; only an authenticated caller (sync-api,
    /// a valid access token) gets each check's status and description. Neither ever carries exception text.
    /// </summary>
    public static WebApplication MapHealthEndpoints(this WebApplication app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync });
        app.MapGet("/health/ready", async (HttpContext context, ReadinessProbe probe, CancellationToken cancellationToken) =>
        {
            var report = await probe.CheckAsync(cancellationToken);
            context.Response.StatusCode = report.Status == HealthStatus.Healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
            await WriteAsync(context, report);
        }).ExcludeFromDescription();
        return app;
    }

    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        var status = report.Status.ToString().ToLowerInvariant();
        var timestamp = IsoTime.Format(DateTimeOffset.UtcNow);
        object body = context.User.Identity?.IsAuthenticated == true
            ? new
            {
                status,
                checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString().ToLowerInvariant(), description = e.Value.Description }),
                timestamp,
            }
            : new { status, timestamp };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body, ContractJson.Options));
    }
}
