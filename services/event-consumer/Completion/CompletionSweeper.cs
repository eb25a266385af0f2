using IntegrationSync.EventConsumer.Statistics;
using IntegrationSync.Shared.Configuration.Options;
using IntegrationSync.Shared.Contracts;
using IntegrationSync.Shared.Leases;
using IntegrationSync.Shared.Sync;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Options;

namespace IntegrationSync.EventConsumer.Completion;

/// <summary>
/// Once per fleet per <c>statistics.sweep_interval_seconds</c>, over this fleet's executions only: a processing one is
/// cancelled if its task asked for it, completed if every result is counted (a check that was lost), failed when it made
/// no progress for <c>mapping.completion_timeout_seconds</c>; a final one whose task or event a crash left behind is
/// announced again. One execution that fails is logged and skipped.
/// </summary>
public sealed class CompletionSweeper(
    FleetTimer timer,
    ExecutionRepository executions,
    SyncTaskRepository tasks,
    CompletionLifecycle lifecycle,
    ExecutionAnnouncer announcer,
    IOptions<StatisticsOptions> statistics,
    IOptions<MappingOptions> mapping,
    TimeProvider time,
    ILogger<CompletionSweeper> logger) : FleetTimerService(timer, time, logger)
{
    private static readonly TimeSpan UnannouncedGrace = TimeSpan.FromSeconds(30);

    protected override string TimerName => "statistics-completion-sweep";

    protected override TimeSpan Interval => TimeSpan.FromSeconds(statistics.Value.SweepIntervalSeconds);

    protected override Task TickAsync(CancellationToken cancellationToken) => SweepAsync(cancellationToken);

    public async Task SweepAsync(CancellationToken cancellationToken)
    {
        var now = Time.GetUtcNow();
        var timeout = TimeSpan.FromSeconds(mapping.Value.CompletionTimeoutSeconds);
        var processing = await executions.QueryAcrossTenantsAsync(
            new QueryDefinition($"SELECT * FROM c WHERE {executions.OfKind} AND c.managed = true AND c.status = @status").WithParameter("@status", SyncStatus.Processing),
            cancellationToken);
        await ForEachAsync(processing, e => e.ExecutionId, async (execution, ct) =>
        {
            if (await tasks.ReadAsync(execution.TenantId, execution.TaskId, ct) is { CancelRequestedAt: not null })
            {
                await lifecycle.CancelAsync(execution.TenantId, execution.ExecutionId, ct);
            }
            else if (!await lifecycle.TryCompleteAsync(execution.TenantId, execution.ExecutionId, ct)
                     && await lifecycle.LastProgressAsync(execution, ct) is { } progress && now - progress > timeout)
            {
                await lifecycle.TimeOutAsync(execution.TenantId, execution.ExecutionId, ct);
            }
        }, cancellationToken);

        var unannounced = await executions.QueryAcrossTenantsAsync(new QueryDefinition(
                $"SELECT * FROM c WHERE {executions.OfKind} AND c.managed = true AND c.status IN (@completed, @failed, @cancelled) AND NOT IS_DEFINED(c.announcedAt) AND c.completedAt < @cutoff")
            .WithParameter("@completed", SyncStatus.Completed).WithParameter("@failed", SyncStatus.Failed).WithParameter("@cancelled", SyncStatus.Cancelled)
            .WithParameter("@cutoff", IsoTime.Format(now - UnannouncedGrace)), cancellationToken);
        await ForEachAsync(unannounced, e => e.ExecutionId, announcer.AnnounceAsync, cancellationToken);
    }
}
