using IntegrationSync.Shared.Configuration.Options;
using IntegrationSync.Shared.Contracts;
using IntegrationSync.Shared.Leases;
using IntegrationSync.Shared.Sync;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Options;

namespace IntegrationSync.EventConsumer.Statistics;

/// <summary>
/// Once per fleet per <c>statistics.sweep_interval_seconds</c>: completes processing executions whose results
/// are all counted (a completion check that failed), fails those whose results stopped arriving for
/// <c>mapping.completion_timeout_seconds</c>, and republishes completion events a crashed completer never confirmed.
/// </summary>
public sealed class CompletionSweeper(
    FleetTimer timer,
    ExecutionRepository executions,
    ExecutionCompletion completion,
    IOptions<StatisticsOptions> statistics,
    IOptions<MappingOptions> mapping,
    TimeProvider time,
    ILogger<CompletionSweeper> logger) : FleetTimerService(timer, time, logger)
{
    private static readonly TimeSpan UnconfirmedGrace = TimeSpan.FromSeconds(30);

    protected override string TimerName => "statistics-completion-sweep";

    protected override TimeSpan Interval => TimeSpan.FromSeconds(statistics.Value.SweepIntervalSeconds);

    protected override Task TickAsync(CancellationToken cancellationToken) => SweepAsync(cancellationToken);

    public async Task SweepAsync(CancellationToken cancellationToken)
    {
        var now = Time.GetUtcNow();
        var timeoutCutoff = IsoTime.Format(now - TimeSpan.FromSeconds(mapping.Value.CompletionTimeoutSeconds));
        var processing = await executions.QueryAcrossTenantsAsync(
            new QueryDefinition("SELECT * FROM c WHERE c.status = @status").WithParameter("@status", SyncStatus.Processing), cancellationToken);
        foreach (var execution in processing)
        {
            if (!await completion.TryCompleteAsync(execution.TenantId, execution.ExecutionId, cancellationToken)
                && string.CompareOrdinal(execution.PublishedAt, timeoutCutoff) < 0)
            {
                await completion.FinalizeTimedOutAsync(execution.TenantId, execution.ExecutionId, cancellationToken);
            }
        }

        var unconfirmed = await executions.QueryAcrossTenantsAsync(
            new QueryDefinition("SELECT * FROM c WHERE c.status = @status AND c.completionEventPublished = false AND c.completedAt < @cutoff")
                .WithParameter("@status", SyncStatus.Completed)
                .WithParameter("@cutoff", IsoTime.Format(now - UnconfirmedGrace)),
            cancellationToken);
        foreach (var execution in unconfirmed)
        {
            await completion.RepublishCompletedAsync(execution, cancellationToken);
        }
    }
}
