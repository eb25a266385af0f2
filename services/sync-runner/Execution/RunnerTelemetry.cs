using System.Diagnostics;
using System.Diagnostics.Metrics;
using IntegrationSync.Shared.Hosting;

namespace IntegrationSync.SyncRunner.Execution;

/// <summary>The runner's own spans and instruments (exported with every <c>IntegrationSync.*</c> source and meter).</summary>
public static class RunnerTelemetry
{
    public static readonly ActivitySource Source = new(ServiceDefaults.TelemetryPrefix + "Runner");
    private static readonly Meter Meter = new(ServiceDefaults.TelemetryPrefix + "Runner");

    /// <summary>A run found its execution fenced off (another runner took it over, or it ended meanwhile) and stopped.</summary>
    public static readonly Counter<long> LeasesLost = Meter.CreateCounter<long>("integration_sync.runner.leases_lost", "{lease}",
        "Runs that found their execution owned by a newer generation and stopped");

    /// <summary>Runs handed back unfinished (shutdown, broker or Cosmos outage past its bound) for another runner to resume.</summary>
    public static readonly Counter<long> RunsReleased = Meter.CreateCounter<long>("integration_sync.runner.runs_released", "{run}",
        "Runs released at their checkpoint to be resumed elsewhere");
}
