using IntegrationSync.Shared.Contracts;
using IntegrationSync.Shared.Leases;
using IntegrationSync.Shared.Sync;
using IntegrationSync.SyncRunner.Execution;
using IntegrationSync.SyncRunner.Slots;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Options;

namespace IntegrationSync.SyncRunner.Reaper;

/// <summary>
/// Once per fleet per <c>runner.reaper_interval_seconds</c>, it closes every window a crash can leave: running executions
/// whose runner went silent past <c>runner.lease_seconds</c> are handed to another runner (or failed after
/// <c>runner.max_attempts</c>); released executions nobody claimed are offered again; tasks stored but never taken up are
/// sent again; slots still held by executions announced final are freed; tasks waiting although their tenant has a free
/// slot are dispatched. Only this fleet's documents are
/// touched, and one that fails is logged and skipped, never stalls the rest.
/// </summary>
public sealed class ExecutionReaper(
    FleetTimer timer,
    ExecutionRepository executions,
    SyncTaskRepository tasks,
    RunLifecycle lifecycle,
    RunHandover handover,
    TenantSlots slots,
    WaitingWork waiting,
    IOptions<RunnerOptions> options,
    TimeProvider time,
    ILogger<ExecutionReaper> logger) : FleetTimerService(timer, time, logger)
{
    private static readonly TimeSpan ReleasedGrace = TimeSpan.FromSeconds(10);

    protected override string TimerName => "runner-reaper";

    protected override TimeSpan Interval => TimeSpan.FromSeconds(options.Value.ReaperIntervalSeconds);

    protected override Task TickAsync(CancellationToken cancellationToken) => ReapAsync(cancellationToken);

    public async Task ReapAsync(CancellationToken cancellationToken)
    {
        var now = Time.GetUtcNow();
        var silentSince = IsoTime.Format(now - options.Value.Lease);
        var orphans = await executions.QueryAcrossTenantsAsync(new QueryDefinition(
                $"SELECT * FROM c WHERE {executions.OfKind} AND c.managed = true AND c.status = @running AND (c.heartbeatAt < @silentSince "
                + "OR ((NOT IS_DEFINED(c.runnerInstance) OR IS_NULL(c.runnerInstance)) AND c.updatedAt < @releasedBefore))")
            .WithParameter("@running", SyncStatus.Running).WithParameter("@silentSince", silentSince)
            .WithParameter("@releasedBefore", IsoTime.Format(now - ReleasedGrace)), cancellationToken);
        await ForEachAsync(orphans, e => e.ExecutionId, (execution, ct) => execution.RunnerInstance is null
            ? handover.RequestResumeAsync(execution, ct)
            : lifecycle.ReapAsync(execution, silentSince, options.Value.MaxAttempts, ct), cancellationToken);

        var unstarted = await tasks.QueryAcrossTenantsAsync(new QueryDefinition(
                $"SELECT * FROM c WHERE {tasks.OfKind} AND c.managed = true AND c.status = @pending AND NOT IS_DEFINED(c.waitingSince) AND c.createdAt < @before")
            .WithParameter("@pending", SyncStatus.Pending)
            .WithParameter("@before", IsoTime.Format(now - TimeSpan.FromSeconds(options.Value.PendingRedispatchSeconds))), cancellationToken);
        await ForEachAsync(unstarted, t => t.Id, (task, ct) => waiting.DispatchAsync(task.TenantId, task.Id, ct), cancellationToken);

        // A final event is also routed to the webhooks queue, so one the runner queue missed (it was gone when the
        // execution was announced) is not refused as unroutable: a slot its execution ended long since is freed here.
        var announcedBefore = IsoTime.Format(now - options.Value.Lease);
        await ForEachAsync(await slots.FindHeldAsync(cancellationToken), h => h.Holder.ExecutionId, async (h, ct) =>
        {
            if (await executions.ReadAsync(h.TenantId, h.Holder.ExecutionId, ct) is { AnnouncedAt: { } announced }
                && string.CompareOrdinal(announced, announcedBefore) < 0)
            {
                await waiting.ReleaseAsync(h.TenantId, h.Holder.ExecutionId, ct);
            }
        }, cancellationToken);

        await ForEachAsync(await slots.FindDispatchableAsync(cancellationToken), w => w.TaskId,
            (w, ct) => waiting.DispatchAsync(w.TenantId, w.TaskId, ct), cancellationToken);
    }
}
