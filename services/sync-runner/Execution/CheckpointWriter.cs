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
    private Task _chain = Task.CompletedTask;
    private int _latest;
    private int _flushThrough;
    private CancellationTokenSource? _waiting;
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

    /// <summary>Writes the latest checkpoint now, without waiting out the interval, and completes once it is stored.</summary>
    public async Task FlushAsync()
    {
        Interlocked.Exchange(ref _flushThrough, _latest);
        if (Volatile.Read(ref _waiting) is { } waiting)
        {
            await waiting.CancelAsync();
        }
        await _chain;
    }

    private async Task WriteAfterAsync(Task previous, T checkpoint, int sequence)
    {
        await previous;
        if (sequence != Volatile.Read(ref _latest))
        {
            return;
        }
        var delay = _lastWrite + minInterval - time.GetUtcNow();
        if (delay > TimeSpan.Zero)
        {
            await WaitUnlessFlushedAsync(sequence, delay);
            if (sequence != Volatile.Read(ref _latest))
            {
                return;
            }
        }
        _lastWrite = time.GetUtcNow();
        await write(checkpoint, cancellationToken);
    }

    private async Task WaitUnlessFlushedAsync(int sequence, TimeSpan delay)
    {
        var waiting = new CancellationTokenSource();
        Interlocked.Exchange(ref _waiting, waiting);
        // Either a flush sees this wait and cancels it, or this sees the flush (both sides publish before they look).
        if (sequence > Volatile.Read(ref _flushThrough))
        {
            try
            {
                await Task.Delay(delay, time, waiting.Token);
            }
            catch (OperationCanceledException)
            {
                // Flushed: write now.
            }
        }
        Interlocked.Exchange(ref _waiting, null);
    }
}
