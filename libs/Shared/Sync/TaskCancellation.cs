using IntegrationSync.Shared.Contracts;
using IntegrationSync.Shared.Contracts.Commands;
using IntegrationSync.Shared.Messaging;

namespace IntegrationSync.Shared.Sync;

/// <summary>
/// The one way a task is cancelled, by the API or for its integration's sake: a task no run has started is cancelled at
/// once; otherwise the request is written and the execution's owner ends the run with its counts so far.
/// </summary>
public static class TaskCancellation
{
    /// <summary>The task after the request (null when it does not exist); final tasks are left as they are.</summary>
    public static async Task<SyncTaskDocument?> RequestAsync(
        SyncTaskRepository tasks, IEventPublisher publisher, string tenantId, string taskId, string now, CancellationToken cancellationToken)
    {
        var changed = await tasks.UpdateAsync(tenantId, taskId, task => task switch
        {
            { Status: SyncStatus.Pending or SyncStatus.Paused, CurrentExecutionId: null } =>
                task with { Status = SyncStatus.Cancelled, CancelRequestedAt = now, CompletedAt = now, UpdatedAt = now },
            { Status: SyncStatus.Running or SyncStatus.Processing or SyncStatus.Paused or SyncStatus.Pending, CancelRequestedAt: null } =>
                task with { CancelRequestedAt = now, UpdatedAt = now },
            _ => null,
        }, cancellationToken);
        var current = changed ?? await tasks.ReadAsync(tenantId, taskId, cancellationToken);
        if (current is not null && !SyncStatus.IsFinal(current.Status))
        {
            // Sent again on every call while the cancel is pending, so a retry makes good a message the broker lost.
            await publisher.PublishAsync(new SyncCancelRequested(current.TaskId ?? current.Id, current.CurrentExecutionId, current.CancelRequestedAt ?? now),
                tenantId, cancellationToken: cancellationToken);
        }
        return current;
    }
}
