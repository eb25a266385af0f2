using IntegrationSync.Shared.Contracts;
using IntegrationSync.Shared.Contracts.Events;
using IntegrationSync.Shared.Hosting;
using IntegrationSync.Shared.Messaging;
using Microsoft.Azure.Cosmos;

namespace IntegrationSync.Shared.Sync;

/// <summary>
/// The steps after an execution's final status is stored, in one fixed order for both owners (runner and
/// event-consumer): its task mirrors it, its final event is published, then it is marked announced. Doing them again
/// is harmless, so a sweep finishes what a crash interrupted; the runner frees the tenant slot when the event arrives.
/// </summary>
public sealed class ExecutionAnnouncer(
    SyncTaskRepository tasks, ExecutionRepository executions, IEventPublisher publisher, FleetMetrics metrics, TimeProvider time)
{
    public async Task AnnounceAsync(ExecutionDocument execution, CancellationToken cancellationToken)
    {
        if (!SyncStatus.IsFinal(execution.Status))
        {
            throw new InvalidOperationException($"Execution {execution.ExecutionId} is {execution.Status}, not final.");
        }
        var now = IsoTime.Format(time.GetUtcNow());
        await tasks.UpdateAsync(execution.TenantId, execution.TaskId, task =>
            task.CurrentExecutionId is { } current && current != execution.ExecutionId
                ? null
                : task with
                {
                    Status = execution.Status,
                    CurrentExecutionId = execution.ExecutionId,
                    Error = execution.Error,
                    RecordsProcessed = execution.RecordsProcessed,
                    RecordsCreated = execution.RecordsCreated,
                    RecordsUpdated = execution.RecordsUpdated,
                    RecordsFailed = execution.RecordsFailed,
                    CompletedAt = execution.CompletedAt ?? now,
                    UpdatedAt = now,
                }, cancellationToken);
        await PublishFinalEventAsync(execution, cancellationToken);
        await executions.PatchAsync(execution.TenantId, execution.ExecutionId, [PatchOperation.Set("/announcedAt", now)], cancellationToken);
        Measure(execution);
    }

    private void Measure(ExecutionDocument e)
    {
        var (adapter, direction) = (e.ProviderName ?? "unknown", e.Direction ?? SyncDirection.Inbound);
        if (e.Status == SyncStatus.Completed)
        {
            metrics.SyncCompleted(adapter, direction, e.Truncated, e.TenantId);
        }
        else if (e.Status == SyncStatus.Failed)
        {
            metrics.SyncFailed(adapter, direction, e.ErrorCode ?? "UNKNOWN", e.TenantId);
        }
        if (IsoTime.Parse(e.StartedAt) is { } started && IsoTime.Parse(e.CompletedAt) is { } ended)
        {
            metrics.ExecutionFinished(adapter, e.Status, ended - started);
        }
    }

    private Task PublishFinalEventAsync(ExecutionDocument e, CancellationToken cancellationToken)
    {
        var metadata = new EventMetadata(CorrelationId: e.ExecutionId);
        return e.Status switch
        {
            SyncStatus.Completed => publisher.PublishAsync(
                new SyncCompleted(e.TaskId, e.ExecutionId, e.RecordsProcessed, e.RecordsCreated, e.RecordsUpdated, e.RecordsFailed),
                e.TenantId, metadata, cancellationToken),
            SyncStatus.Failed => publisher.PublishAsync(
                new SyncFailed(e.TaskId, e.ExecutionId, e.Error ?? "The sync failed", e.ErrorCode), e.TenantId, metadata, cancellationToken),
            _ => publisher.PublishAsync(new SyncCancelled(e.TaskId, e.ExecutionId, e.RecordsProcessed), e.TenantId, metadata, cancellationToken),
        };
    }
}
