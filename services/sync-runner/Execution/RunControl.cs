using IntegrationSync.Shared.Sync;

namespace IntegrationSync.SyncRunner.Execution;

/// <summary>
/// Cancel and pause reach a run through its task, read between pages and during waits, at most once per <see cref="Interval"/>;
/// a runner shutting down asks its runs to stop the same way (<paramref name="handover"/>), so they end at a checkpoint.
/// </summary>
public sealed class RunControl(Func<CancellationToken, Task<SyncTaskDocument?>> readTask, TimeProvider time, CancellationToken handover = default)
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    private DateTimeOffset _checkedAt = DateTimeOffset.MinValue;

    /// <exception cref="SyncStopRequestedException">The task's cancel or pause was requested.</exception>
    public async ValueTask ThrowIfStopRequestedAsync(CancellationToken cancellationToken)
    {
        if (handover.IsCancellationRequested)
        {
            throw new SyncStopRequestedException(RunStop.Handover);
        }
        if (time.GetUtcNow() - _checkedAt < Interval)
        {
            return;
        }
        _checkedAt = time.GetUtcNow();
        var task = await readTask(cancellationToken);
        if (task?.CancelRequestedAt is not null)
        {
            throw new SyncStopRequestedException(RunStop.Cancel);
        }
        if (task?.PauseRequestedAt is not null)
        {
            throw new SyncStopRequestedException(RunStop.Pause);
        }
    }

    /// <summary>Waits, ending early when a cancel or pause is requested meanwhile.</summary>
    public async Task WaitAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        var until = time.GetUtcNow() + delay;
        while (until - time.GetUtcNow() is { Ticks: > 0 } remaining)
        {
            await ThrowIfStopRequestedAsync(cancellationToken);
            await Task.Delay(remaining < Interval ? remaining : Interval, time, cancellationToken);
        }
    }
}
