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
    ILogger<CompletionSweeper> logger) : BackgroundService
{
    public const string TimerName = "statistics-completion-sweep";
    private static readonly TimeSpan UnconfirmedGrace = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromSeconds(statistics.Value.SweepIntervalSeconds);
        while (!stoppingToken.IsCancellationRequested)
        {
            var wait = interval;
            try
            {
                (var fired, wait) = await timer.TryFireAsync(TimerName, interval, stoppingToken);
                if (fired)
                {
                    await SweepAsync(stoppingToken);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Completion sweep failed");
            }
            await Task.Delay(wait, time, stoppingToken);
        }
    }

    public async Task SweepAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
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
