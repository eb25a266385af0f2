using IntegrationSync.Shared.Contracts;
using IntegrationSync.Shared.Limits;
using IntegrationSync.Shared.Sync;

namespace IntegrationSync.SyncRunner.Execution;

/// <summary>While a run works, renews its tenant slot and the execution's <c>heartbeatAt</c>; the reaper takes over silent ones.</summary>
public sealed class ExecutionHeartbeat : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public ExecutionHeartbeat(string tenantId, string executionId, TenantSlots slots, ExecutionRepository executions,
        RunnerOptions options, TimeProvider time, ILogger logger)
    {
        _loop = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                try
                {
                    await Task.Delay(options.Heartbeat, time, _stop.Token);
                    await slots.RenewAsync(tenantId, executionId, options.Lease, _stop.Token);
                    await executions.UpdateAsync(tenantId, executionId, e => e.Status != SyncStatus.Running ? null : e with
                    {
                        HeartbeatAt = IsoTime.Format(time.GetUtcNow()),
                    }, _stop.Token);
                }
                catch (OperationCanceledException) when (_stop.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception e)
                {
                    logger.LogWarning(e, "Heartbeat of execution {ExecutionId} failed", executionId);
                }
            }
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }
}
