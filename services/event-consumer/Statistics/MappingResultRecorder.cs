using IntegrationSync.Shared.Messaging;
using IntegrationSync.Shared.Sync;

namespace IntegrationSync.EventConsumer.Statistics;

/// <summary>
/// Finds the execution a result belongs to (its <c>correlationId</c>, else the task's current execution),
/// counts it once, and completes the execution when every published record is accounted for.
/// </summary>
public sealed class MappingResultRecorder(
    ExecutionRepository executions,
    SyncTaskRepository tasks,
    ExecutionTallyRepository tallies,
    ExecutionCompletion completion,
    ILogger<MappingResultRecorder> logger)
{
    public async Task RecordAsync(MappingResult result, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(result.TenantId))
        {
            throw new PermanentEventException("mapping result has no tenant (neither envelope nor data.tenantId)");
        }
        var executionId = await ResolveExecutionAsync(result, cancellationToken)
            ?? throw new InvalidOperationException(
                $"No execution found for correlationId {result.ExecutionId} / syncTaskId {result.SyncTaskId}; retrying in case it is not stored yet");

        var tally = await tallies.RecordAsync(result.TenantId, executionId, [(result.Key, result.Outcome)], cancellationToken);
        logger.LogDebug("Execution {ExecutionId}: {Total} results counted", executionId, tally.Total);
        await completion.TryCompleteAsync(result.TenantId, executionId, cancellationToken);
    }

    private async Task<string?> ResolveExecutionAsync(MappingResult result, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrEmpty(result.ExecutionId)
            && await executions.ReadAsync(result.TenantId!, result.ExecutionId, cancellationToken) is not null)
        {
            return result.ExecutionId;
        }
        if (string.IsNullOrEmpty(result.SyncTaskId))
        {
            throw new PermanentEventException("mapping result has neither a known correlationId nor a syncTaskId");
        }
        var task = await tasks.ReadAsync(result.TenantId!, result.SyncTaskId, cancellationToken);
        return task?.CurrentExecutionId;
    }
}
