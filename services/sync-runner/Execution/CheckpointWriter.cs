namespace IntegrationSync.SyncRunner.Execution;

/// <summary>
/// Writes a run's checkpoints off the page path: one write at a time, in order, and a checkpoint superseded while it
/// waited is skipped (the newer one covers it). A stored checkpoint never passes a page that is not confirmed,
/// so a resumed run re-sends at most the pages after the last write. A failed write fails the run at its next step.
/// </summary>
public sealed class CheckpointWriter<T>(Func<T, CancellationToken, Task> write, CancellationToken cancellationToken)
{
    private Task _chain = Task.CompletedTask;
    private int _latest;

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

    /// <summary>Completes when the latest checkpoint is stored.</summary>
    public Task FlushAsync() => _chain;

    private async Task WriteAfterAsync(Task previous, T checkpoint, int sequence)
    {
        await previous;
        if (sequence == Volatile.Read(ref _latest))
        {
            await write(checkpoint, cancellationToken);
        }
    }
}
