namespace IntegrationSync.SyncRunner.Outbound;

/// <summary>An execution's bidirectional counts: records pushed, conflicts met (whatever resolved them), echoes of our own writes skipped.</summary>
public sealed class OutboundTally(int pushed = 0, int conflicts = 0, int echoesSkipped = 0)
{
    private int _pushed = pushed;
    private int _conflicts = conflicts;
    private int _echoes = echoesSkipped;

    public int Pushed => Volatile.Read(ref _pushed);
    public int Conflicts => Volatile.Read(ref _conflicts);
    public int EchoesSkipped => Volatile.Read(ref _echoes);

    public void Push() => Interlocked.Increment(ref _pushed);
    public void Conflict() => Interlocked.Increment(ref _conflicts);
    public void Echo() => Interlocked.Increment(ref _echoes);

    /// <summary>Counts one push's result.</summary>
    public void Count(PushResult result)
    {
        if (result.Conflict)
        {
            Conflict();
        }
        switch (result.Outcome)
        {
            case PushOutcome.Pushed or PushOutcome.Created or PushOutcome.Deleted:
                Push();
                break;
            case PushOutcome.Echo:
                Echo();
                break;
        }
    }
}
