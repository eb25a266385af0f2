using IntegrationSync.Shared.Contracts;
using IntegrationSync.Shared.Contracts.Events;
using IntegrationSync.Shared.Limits;
using IntegrationSync.Shared.Messaging;
using IntegrationSync.Shared.Sync;

namespace IntegrationSync.SyncRunner.Execution;

/// <summary>Ends an execution that will not reach processing (failed or cancelled): execution, task, slot, event.</summary>
public sealed class ExecutionFinisher(
    SyncTaskRepository tasks, ExecutionRepository executions, WaitingWorkDispatcher waiting, IEventPublisher publisher, TimeProvider time)
{
    public async Task FinishAsync(string tenantId, string taskId, string executionId, string status, string code, string message)
    {
        var now = IsoTime.Format(time.GetUtcNow());
        await executions.UpdateAsync(tenantId, executionId, e => SyncStatus.IsFinal(e.Status) ? null : e with
        {
            Status = status, Error = message, ErrorCode = code, CompletedAt = now, UpdatedAt = now,
        }, CancellationToken.None);
        await tasks.UpdateAsync(tenantId, taskId, t => t.CurrentExecutionId != executionId ? null : t with
        {
            Status = status, Error = message, CompletedAt = now, UpdatedAt = now,
        }, CancellationToken.None);
        await waiting.ReleaseAsync(tenantId, executionId, CancellationToken.None);
        if (status == SyncStatus.Failed)
        {
            await publisher.PublishAsync(new SyncFailed(taskId, executionId, message, code), tenantId,
                new EventMetadata(CorrelationId: executionId), CancellationToken.None);
        }
    }
}
