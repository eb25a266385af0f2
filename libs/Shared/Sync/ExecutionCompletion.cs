using IntegrationSync.Shared.Contracts;
using IntegrationSync.Shared.Contracts.Events;
using IntegrationSync.Shared.Limits;
using IntegrationSync.Shared.Messaging;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Logging;

namespace IntegrationSync.Shared.Sync;

/// <summary>
/// Completes an execution when every published CRM record has a mapping result and publishing has finished; records
/// forwarded to the non-CRM processors get no result and are not waited for.
/// Both the runner (after publishing) and the event consumer (after each result) call it; the ETag on the
/// execution lets exactly one caller make the transition and publish <c>integration.sync.completed</c>.
/// </summary>
public sealed class ExecutionCompletion(
    ExecutionRepository executions,
    ExecutionTallyRepository tallies,
    SyncTaskRepository tasks,
    IEventPublisher publisher,
    WaitingWorkDispatcher waiting,
    TimeProvider time,
    ILogger<ExecutionCompletion> logger)
{
    /// <summary>
    /// Results stopped arriving: the execution fails with <c>MAPPING_RESULTS_MISSING</c>, keeping the counts it has and
    /// the number missing. Failed rather than completed, because records were sent that nobody confirmed stored.
    /// </summary>
    public async Task<bool> FinalizeTimedOutAsync(string tenantId, string executionId, CancellationToken cancellationToken)
    {
        var execution = await executions.ReadAsync(tenantId, executionId, cancellationToken);
        if (execution is not { Status: SyncStatus.Processing })
        {
            return false;
        }
        var totals = await tallies.ReadTotalsAsync(tenantId, executionId, cancellationToken);
        var expected = ResultsExpected(execution);
        var missing = Math.Max(0, expected - totals.Total);
        var processed = Processed(totals, execution);
        var now = IsoTime.Format(time.GetUtcNow());
        var message = $"{missing} of {expected} records had no mapping result before the completion timeout";
        var failed = await executions.TryReplaceAsync(execution with
        {
            Status = SyncStatus.Failed, ErrorCode = "MAPPING_RESULTS_MISSING", Error = message, RecordsMissing = missing,
            RecordsProcessed = processed, RecordsCreated = totals.Created, RecordsUpdated = totals.Updated, RecordsFailed = totals.Failed,
            CompletedAt = now, UpdatedAt = now,
        }, cancellationToken);
        if (failed is null)
        {
            return false;
        }
        tallies.Forget(tenantId, executionId);
        await tasks.UpdateAsync(tenantId, failed.TaskId, task => task.CurrentExecutionId != executionId ? null : task with
        {
            Status = SyncStatus.Failed, Error = message, RecordsProcessed = processed, RecordsCreated = totals.Created,
            RecordsUpdated = totals.Updated, RecordsFailed = totals.Failed, CompletedAt = now, UpdatedAt = now,
        }, cancellationToken);
        await publisher.PublishAsync(new SyncFailed(failed.TaskId, executionId, message, failed.ErrorCode), tenantId,
            new EventMetadata(CorrelationId: executionId), cancellationToken);
        await waiting.ReleaseAsync(tenantId, executionId, cancellationToken);
        logger.LogWarning("Execution {ExecutionId} finalized as failed: {Message}", executionId, message);
        return true;
    }

    /// <summary>Publishes the completion event of an execution whose completer stopped before confirming it (at-least-once).</summary>
    public async Task RepublishCompletedAsync(ExecutionDocument execution, CancellationToken cancellationToken)
    {
        await publisher.PublishAsync(
            new SyncCompleted(execution.TaskId, execution.ExecutionId, execution.RecordsProcessed, execution.RecordsCreated,
                execution.RecordsUpdated, execution.RecordsFailed),
            execution.TenantId, new EventMetadata(CorrelationId: execution.ExecutionId), cancellationToken);
        await executions.PatchAsync(execution.TenantId, execution.ExecutionId, [PatchOperation.Set("/completionEventPublished", true)], cancellationToken);
    }

    public async Task<bool> TryCompleteAsync(string tenantId, string executionId, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 10; attempt++)
        {
            var execution = await executions.ReadAsync(tenantId, executionId, cancellationToken);
            if (execution is not { Status: SyncStatus.Processing })
            {
                return false;
            }
            var totals = await tallies.ReadTotalsAsync(tenantId, executionId, cancellationToken);
            if (totals.Total < ResultsExpected(execution))
            {
                return false;
            }
            var (created, updated, failed) = totals;

            var now = IsoTime.Format(time.GetUtcNow());
            var completed = await executions.TryReplaceAsync(execution with
            {
                Status = SyncStatus.Completed,
                RecordsProcessed = Processed(totals, execution),
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
            tallies.Forget(tenantId, executionId);

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
            await waiting.ReleaseAsync(tenantId, executionId, cancellationToken);
            logger.LogInformation("Execution {ExecutionId} of task {TaskId} completed: {Created} created, {Updated} updated, {Failed} failed, {Forwarded} forwarded",
                executionId, completed.TaskId, created, updated, failed, completed.RecordsForwarded);
            return true;
        }
        return false;
    }

    /// <summary>Every record with a mapping result, plus those forwarded to processors that report none.</summary>
    private static int Processed(TallyTotals totals, ExecutionDocument execution) => totals.Total + execution.RecordsForwarded;

    private static int ResultsExpected(ExecutionDocument execution) => execution.RecordsPublished - execution.RecordsForwarded;
}
