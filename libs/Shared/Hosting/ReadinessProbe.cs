using IntegrationSync.Shared.Messaging;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace IntegrationSync.Shared.Hosting;

/// <summary>
/// The readiness checks (broker, Cosmos DB) run at most once per <see cref="Fresh"/> for all probes together: an
/// anonymous caller probing in a loop costs the database nothing more.
/// </summary>
public sealed class ReadinessProbe(HealthCheckService health, TimeProvider time)
{
    public static readonly TimeSpan Fresh = TimeSpan.FromSeconds(5);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private (HealthReport Report, DateTimeOffset At)? _last;

    public async Task<HealthReport> CheckAsync(CancellationToken cancellationToken)
    {
        if (Recent() is { } report)
        {
            return report;
        }
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (Recent() is { } checkedMeanwhile)
            {
                return checkedMeanwhile;
            }
            var fresh = await health.CheckHealthAsync(check => check.Tags.Contains(HealthTags.Ready), cancellationToken);
            _last = (fresh, time.GetUtcNow());
            return fresh;
        }
        finally
        {
            _gate.Release();
        }
    }

    private HealthReport? Recent() => _last is { } last && time.GetUtcNow() - last.At < Fresh ? last.Report : null;
}
