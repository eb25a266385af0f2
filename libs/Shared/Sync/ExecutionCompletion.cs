using IntegrationSync.Shared.Contracts;
using IntegrationSync.Shared.Contracts.Events;
using IntegrationSync.Shared.Messaging;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Logging;

namespace IntegrationSync.Shared.Sync;

/// <summary>
/// Completes an execution when every published record has a mapping result and publishing has finished.
/// Both the runner (after publishing) and the event consumer (after each result) call it; the ETag on the
/// execution lets exactly one caller make the transition and publish <c>integration.sync.completed</c>.
/// </summary>
public sealed class ExecutionCompletion(
    ExecutionRepository executions,
    ExecutionTallyRepository tallies,
    SyncTaskRepository tasks,
    IEventPublisher publisher,
    TimeProvider time,
    ILogger<ExecutionCompletion> logger)
{
    public async Task<bool> TryCompleteAsync(string tenantId, string executionId, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 10; attempt++)
        {
            var execution = await executions.ReadAsync(tenantId, executionId, cancellationToken);
            if (execution is not { Status: SyncStatus.Processing })
            {
                return false;
            }
            var tally = await tallies.ReadAsync(tenantId, ExecutionTallyDocument.IdFor(executionId), cancellationToken);
            var (created, updated, failed) = (tally?.Created ?? 0, tally?.Updated ?? 0, tally?.Failed ?? 0);
            if (created + updated + failed < execution.RecordsPublished)
            {
                return false;
            }

            var now = IsoTime.Format(time.GetUtcNow());
            var completed = await executions.TryReplaceAsync(execution with
            {
                Status = SyncStatus.Completed,
                RecordsProcessed = created + updated + failed,
                RecordsCreated = created,
                RecordsUpdated = updated,
                RecordsFailed = failed,
                CompletedAt = now,
                UpdatedAt = now,
            }, cancellationToken);
            if (completed is null)
            {
                continue;
            }

            await tasks.UpdateAsync(tenantId, completed.TaskId, task => task.CurrentExecutionId != executionId ? null : task with
            {
                Status = SyncStatus.Completed,
                RecordsProcessed = completed.RecordsProcessed,
                RecordsCreated = created,
                RecordsUpdated = updated,
                RecordsFailed = failed,
                CompletedAt = now,
                UpdatedAt = now,
            }, cancellationToken);

            await publisher.PublishAsync(
                new SyncCompleted(completed.TaskId, executionId, completed.RecordsProcessed, created, updated, failed),
                tenantId, new EventMetadata(CorrelationId: executionId), cancellationToken);
            await executions.PatchAsync(tenantId, executionId, [PatchOperation.Set("/completionEventPublished", true)], cancellationToken);
            logger.LogInformation("Execution {ExecutionId} of task {TaskId} completed: {Created} created, {Updated} updated, {Failed} failed",
                executionId, completed.TaskId, created, updated, failed);
            return true;
        }
        return false;
    }
}
