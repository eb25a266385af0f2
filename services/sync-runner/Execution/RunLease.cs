using IntegrationSync.SyncRunner.Slots;
using Microsoft.Extensions.Options;

namespace IntegrationSync.SyncRunner.Execution;

/// <summary>
/// Keeps a run's claim alive: every <c>runner.heartbeat_seconds</c> it renews the execution's heartbeat (a fenced write)
/// and the tenant slot's lease. A renewal that fails is retried every second, never skipped. When the fence shows another
/// owner, or no renewal succeeded for the lease minus one heartbeat (after the full lease the reaper may hand the
/// execution to another runner), the lease is lost: <see cref="Lost"/> is cancelled and the run stops at once.
/// </summary>
public sealed class RunLease : IAsyncDisposable
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);
    private readonly CancellationTokenSource _lost = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public RunLease(string executionId, Func<CancellationToken, Task> renew, RunnerOptions options, TimeProvider time, ILogger logger)
    {
        _loop = Task.Run(async () =>
        {
            var renewedAt = time.GetUtcNow();
            var wait = options.Heartbeat;
            while (!_stop.IsCancellationRequested)
            {
                try
                {
                    await Task.Delay(wait, time, _stop.Token);
                    using var attempt = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                    attempt.CancelAfter(options.Heartbeat);
                    await renew(attempt.Token);
                    (renewedAt, wait) = (time.GetUtcNow(), options.Heartbeat);
                }
                catch (OperationCanceledException) when (_stop.IsCancellationRequested)
                {
                    return;
                }
                catch (LeaseLostException)
                {
                    await _lost.CancelAsync();
                    return;
                }
                catch (Exception e)
                {
                    wait = RetryDelay;
                    if (time.GetUtcNow() - renewedAt < options.Lease - options.Heartbeat)
                    {
                        logger.LogWarning("Heartbeat of execution {ExecutionId} failed; retrying: {Reason}", executionId, e.Message);
                        continue;
                    }
                    logger.LogError("Execution {ExecutionId} could not renew its lease for {Elapsed}; the run stops before another runner takes it over",
                        executionId, time.GetUtcNow() - renewedAt);
                    RunnerTelemetry.LeasesLost.Add(1);
                    await _lost.CancelAsync();
                    return;
                }
            }
        });
    }

    public CancellationToken Lost => _lost.Token;

    public bool IsLost => _lost.IsCancellationRequested;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
        _lost.Dispose();
    }
}

/// <summary>Starts the lease of each run this runner owns.</summary>
public sealed class RunLeases(RunLifecycle lifecycle, TenantSlots slots, IOptions<RunnerOptions> options, TimeProvider time, ILogger<RunLease> logger)
{
    public RunLease Hold(OwnedExecution owned) => new(owned.ExecutionId, async cancellationToken =>
    {
        await lifecycle.HeartbeatAsync(owned, cancellationToken);
        await slots.RenewAsync(owned.TenantId, owned.ExecutionId, options.Value.SlotLease, cancellationToken);
    }, options.Value, time, logger);
}
