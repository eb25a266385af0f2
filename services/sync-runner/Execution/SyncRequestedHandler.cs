using IntegrationSync.Shared.Contracts;
using IntegrationSync.Shared.Contracts.Commands;
using IntegrationSync.Shared.Messaging;
using IntegrationSync.Shared.Sync;
using IntegrationSync.SyncRunner.Publishing;
using IntegrationSync.SyncRunner.Slots;
using Microsoft.Extensions.Options;

namespace IntegrationSync.SyncRunner.Execution;

/// <summary>
/// <c>integration.sync.requested</c>: starts the task's execution, or resumes it (released by the reaper or a stopping
/// runner; paused and then resumed), once this runner has room and the tenant a free slot. The message is acknowledged
/// as soon as the run is owned: the run goes on detached (<see cref="ActiveRuns"/>), and a runner that dies is replaced
/// through the execution's heartbeat, not through a held delivery.
/// </summary>
public sealed class SyncRequestedHandler(
    SyncTaskRepository tasks,
    ExecutionRepository executions,
    RunLifecycle lifecycle,
    TenantSlots slots,
    IntegrationCursors cursors,
    ActiveRuns runs,
    IOptions<RunnerOptions> options,
    TimeProvider time,
    ILogger<SyncRequestedHandler> logger) : IEventHandler<SyncRequested>
{
    private enum Start
    {
        None,
        New,
        Released,
        Resumed,
    }

    public async Task HandleAsync(EventContext<SyncRequested> context, CancellationToken cancellationToken)
    {
        var tenantId = context.RequiredTenant;
        if (await tasks.ReadAsync(tenantId, context.Data.TaskId, cancellationToken) is not { } task)
        {
            logger.LogInformation("Task {TaskId} does not exist; nothing to run", context.Data.TaskId);
            return;
        }
        var run = RunContext.Of(task);
        var start = await executions.ReadAsync(tenantId, run.ExecutionId, cancellationToken) switch
        {
            null when task.Status == SyncStatus.Pending => Start.New,
            { Managed: true, Status: SyncStatus.Running, RunnerInstance: null } => Start.Released,
            { Managed: true, Status: SyncStatus.Paused } when task.Status == SyncStatus.Pending => Start.Resumed,
            _ => Start.None,
        };
        if (start == Start.None)
        {
            logger.LogDebug("Task {TaskId} has nothing to run or resume", task.Id);
            return;
        }

        using var room = await runs.ReserveAsync(cancellationToken);
        // A released execution held a slot before its runner let go: it keeps one even if newer work filled the others.
        if (!await slots.TryAcquireAsync(tenantId, task.Id, run.ExecutionId, options.Value.SlotLease, force: start == Start.Released, cancellationToken))
        {
            await WaitForSlotAsync(task, cancellationToken);
            return;
        }
        var owned = start == Start.New
            ? await lifecycle.StartAsync(task, run, await cursors.ReadAsync(run.Key, cancellationToken), cancellationToken)
            : await lifecycle.ClaimAsync(tenantId, run.ExecutionId, cancellationToken);
        if (owned is not null)
        {
            runs.Start(owned, run, room);
        }
    }

    /// <summary>The task waits in the tenant's line; one that stopped being pending meanwhile leaves it.</summary>
    private async Task WaitForSlotAsync(SyncTaskDocument task, CancellationToken cancellationToken)
    {
        var now = IsoTime.Format(time.GetUtcNow());
        var waiting = await tasks.UpdateAsync(task.TenantId, task.Id, t => t.Status != SyncStatus.Pending ? null : t with
        {
            WaitingSince = t.WaitingSince ?? now, UpdatedAt = now,
        }, cancellationToken);
        if (waiting is null)
        {
            await slots.RemoveWaitingAsync(task.TenantId, task.Id, cancellationToken);
            return;
        }
        logger.LogInformation("Tenant {TenantId} is at its concurrency limit; task {TaskId} waits for a slot", task.TenantId, task.Id);
    }
}
