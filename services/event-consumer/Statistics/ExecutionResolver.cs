using System.Collections.Concurrent;
using IntegrationSync.Shared.Messaging;
using IntegrationSync.Shared.Sync;

namespace IntegrationSync.EventConsumer.Statistics;

/// <summary>The execution a result belongs to: its <c>correlationId</c> when that execution exists, else the task's current execution.</summary>
public sealed class ExecutionResolver(ExecutionRepository executions, SyncTaskRepository tasks)
{
    private const int MaxCached = 50_000;
    private readonly ConcurrentDictionary<(string Tenant, string Execution), bool> _known = new();

    public async Task<string> ResolveAsync(MappingResult result, CancellationToken cancellationToken)
    {
        var tenant = result.TenantId ?? throw new PermanentEventException("mapping result has no tenant (neither envelope nor data.tenantId)");
        if (!string.IsNullOrEmpty(result.ExecutionId))
        {
            if (_known.ContainsKey((tenant, result.ExecutionId)))
            {
                return result.ExecutionId;
            }
            if (await executions.ReadAsync(tenant, result.ExecutionId, cancellationToken) is not null)
            {
                if (_known.Count >= MaxCached)
                {
                    _known.Clear();
                }
                _known[(tenant, result.ExecutionId)] = true;
                return result.ExecutionId;
            }
        }
        if (string.IsNullOrEmpty(result.SyncTaskId))
        {
            throw new PermanentEventException("mapping result has neither a known correlationId nor a syncTaskId");
        }
        var task = await tasks.ReadAsync(tenant, result.SyncTaskId, cancellationToken);
        // Not found yet is retried: the result may have overtaken the runner's own writes.
        return task?.CurrentExecutionId
            ?? throw new InvalidOperationException($"No execution found for correlationId {result.ExecutionId} / syncTaskId {result.SyncTaskId}");
    }
}
