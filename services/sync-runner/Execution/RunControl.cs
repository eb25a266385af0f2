using IntegrationSync.Shared.Sync;

namespace IntegrationSync.SyncRunner.Execution;

/// <summary>Cancel and pause reach a run through its task, read between pages and during waits, at most once per <see cref="Interval"/>.</summary>
public sealed class RunControl(Func<CancellationToken, Task<SyncTaskDocument?>> readTask, TimeProvider time)
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    private DateTimeOffset _checkedAt = DateTimeOffset.MinValue;

    /// <exception cref="SyncStopRequestedException">The task's cancel or pause was requested.</exception>
    public async ValueTask ThrowIfStopRequestedAsync(CancellationToken cancellationToken)
    {
        if (time.GetUtcNow() - _checkedAt < Interval)
        {
            return;
        }
        _checkedAt = time.GetUtcNow();
        var task = await readTask(cancellationToken);
        if (task?.CancelRequestedAt is not null)
        {
            throw new SyncStopRequestedException(pause: false);
        }
        if (task?.PauseRequestedAt is not null)
        {
            throw new SyncStopRequestedException(pause: true);
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
