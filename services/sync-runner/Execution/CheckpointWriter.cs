namespace IntegrationSync.SyncRunner.Execution;

/// <summary>
/// Writes a run's checkpoints off the page path: one write at a time, in order, at most one per
/// <paramref name="minInterval"/>, and a checkpoint superseded while it waited is skipped (the newer one covers it).
/// A stored checkpoint never passes a page that is not confirmed, so a resumed run re-sends at most the pages confirmed
/// since the last write. A failed write fails the run at its next step.
/// </summary>
public sealed class CheckpointWriter<T>(
    Func<T, CancellationToken, Task> write, TimeSpan minInterval, TimeProvider time, CancellationToken cancellationToken)
{
    private readonly CancellationTokenSource _flushing = new();
    private Task _chain = Task.CompletedTask;
    private int _latest;
    private DateTimeOffset _lastWrite = DateTimeOffset.MinValue;

    /// <summary>Called from the page loop only (one caller at a time).</summary>
    public void Advance(T checkpoint)
    {
        if (_chain.IsFaulted)
        {
            _chain.GetAwaiter().GetResult();
        }
        var sequence = ++_latest;
        _chain = WriteAfterAsync(_chain, checkpoint, sequence);
    }

    /// <summary>Writes the latest checkpoint now (the interval no longer applies) and completes once it is stored.</summary>
    public async Task FlushAsync()
    {
        await _flushing.CancelAsync();
        await _chain;
    }

    private async Task WriteAfterAsync(Task previous, T checkpoint, int sequence)
    {
        await previous;
        if (sequence != Volatile.Read(ref _latest))
        {
            return;
        }
        var wait = _lastWrite + minInterval - time.GetUtcNow();
        if (wait > TimeSpan.Zero && !_flushing.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(wait, time, _flushing.Token);
            }
            catch (OperationCanceledException)
            {
                // Flushing: write now.
            }
            if (sequence != Volatile.Read(ref _latest))
            {
                return;
            }
        }
        _lastWrite = time.GetUtcNow();
        await write(checkpoint, cancellationToken);
    }
}
