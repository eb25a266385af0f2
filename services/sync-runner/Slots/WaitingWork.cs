using IntegrationSync.Shared.Messaging;
using IntegrationSync.Shared.Sync;
using IntegrationSync.SyncRunner.Execution;

namespace IntegrationSync.SyncRunner.Slots;

/// <summary>Frees an execution's tenant slot and hands the freed slots to the oldest waiting tasks.</summary>
public sealed class WaitingWork(TenantSlots slots, SyncTaskRepository tasks, IEventPublisher publisher, TimeProvider time)
{
    public async Task ReleaseAsync(string tenantId, string executionId, CancellationToken cancellationToken)
    {
        foreach (var taskId in await slots.ReleaseAsync(tenantId, executionId, cancellationToken))
        {
            await DispatchAsync(tenantId, taskId, cancellationToken);
        }
    }

    /// <summary>Re-sends the work message of a still pending task; a task no longer pending leaves the waiting list.</summary>
    public async Task DispatchAsync(string tenantId, string taskId, CancellationToken cancellationToken)
    {
        if (await tasks.ReadAsync(tenantId, taskId, cancellationToken) is not { Status: SyncStatus.Pending } task)
        {
            await slots.RemoveWaitingAsync(tenantId, taskId, cancellationToken);
            return;
        }
        // Sent on behalf of another sync (its freed slot) or of a sweep: the work stays in its own trigger's trace.
        using var activity = MessagingTelemetry.StartExecutionStep(RunnerTelemetry.Source, "sync.dispatch", task.TraceParent, taskId);
        await publisher.PublishAsync(WorkMessages.For(task, time.GetUtcNow()), tenantId, cancellationToken: cancellationToken);
    }
}
