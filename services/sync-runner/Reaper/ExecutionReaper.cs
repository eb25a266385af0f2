using IntegrationSync.Shared.Contracts;
using IntegrationSync.Shared.Contracts.Commands;
using IntegrationSync.Shared.Leases;
using IntegrationSync.Shared.Limits;
using IntegrationSync.Shared.Messaging;
using IntegrationSync.Shared.Sync;
using IntegrationSync.SyncRunner.Execution;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Options;

namespace IntegrationSync.SyncRunner.Reaper;

/// <summary>
/// Once per fleet per <c>runner.reaper_interval_seconds</c>: executions whose runner went silent longer than
/// <c>runner.lease_seconds</c> are released to be resumed from their checkpoint by any runner, or failed after
/// <c>runner.max_attempts</c>; tasks still waiting although their tenant has a free slot are dispatched again.
/// </summary>
public sealed class ExecutionReaper(
    FleetTimer timer,
    ExecutionRepository executions,
    SyncTaskRepository tasks,
    ExecutionFinisher finisher,
    TenantSlots slots,
    WaitingWorkDispatcher waiting,
    IEventPublisher publisher,
    IOptions<RunnerOptions> options,
    TimeProvider time,
    ILogger<ExecutionReaper> logger) : FleetTimerService(timer, time, logger)
{
    protected override string TimerName => "runner-reaper";

    protected override TimeSpan Interval => TimeSpan.FromSeconds(options.Value.ReaperIntervalSeconds);

    protected override Task TickAsync(CancellationToken cancellationToken) => ReapAsync(cancellationToken);

    public async Task ReapAsync(CancellationToken cancellationToken)
    {
        var now = Time.GetUtcNow();
        var silentSince = IsoTime.Format(now - options.Value.Lease);
        var stale = await executions.QueryAcrossTenantsAsync(
            new QueryDefinition("SELECT * FROM c WHERE c.status = @status AND c.heartbeatAt < @since")
                .WithParameter("@status", SyncStatus.Running).WithParameter("@since", silentSince),
            cancellationToken);
        foreach (var execution in stale)
        {
            await ReapAsync(execution, silentSince, cancellationToken);
        }
        foreach (var (tenantId, taskId) in await slots.FindDispatchableAsync(cancellationToken))
        {
            await waiting.DispatchAsync(tenantId, taskId, cancellationToken);
        }
    }

    private async Task ReapAsync(ExecutionDocument stale, string silentSince, CancellationToken cancellationToken)
    {
        if (stale.Attempt >= options.Value.MaxAttempts)
        {
            Logger.LogError("Execution {ExecutionId} lost its runner {Attempts} times; failing it", stale.ExecutionId, stale.Attempt);
            await finisher.FinishAsync(stale.TenantId, stale.TaskId, stale.ExecutionId, SyncStatus.Failed, "RUNNER_LOST",
                $"The runner stopped responding {stale.Attempt} times; giving up after {options.Value.MaxAttempts} attempts");
            return;
        }

        // Released under the ETag, so two reapers (or a runner that comes back) cannot both continue it.
        var released = await executions.UpdateAsync(stale.TenantId, stale.ExecutionId, e =>
            e.Status != SyncStatus.Running || string.CompareOrdinal(e.HeartbeatAt, silentSince) >= 0 ? null : e with
            {
                Attempt = e.Attempt + 1, RunnerInstance = null, HeartbeatAt = IsoTime.Format(Time.GetUtcNow()),
            }, cancellationToken);
        if (released is null || await tasks.ReadAsync(released.TenantId, released.TaskId, cancellationToken) is not { } task)
        {
            return;
        }
        Logger.LogWarning("Execution {ExecutionId} lost its runner; resuming it (attempt {Attempt})", released.ExecutionId, released.Attempt);
        await publisher.PublishAsync(
            new SyncRequested(task.Id, task.IntegrationId ?? "", task.Direction ?? SyncDirection.Inbound, task.EntityType, task.Filters,
                IsoTime.Format(Time.GetUtcNow()), ResumeExecutionId: released.ExecutionId),
            released.TenantId, new EventMetadata(CorrelationId: released.ExecutionId), cancellationToken);
    }
}
