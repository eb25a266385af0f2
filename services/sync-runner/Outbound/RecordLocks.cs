namespace IntegrationSync.SyncRunner.Outbound;

/// <summary>
/// One push of a record at a time in this runner, whichever path asked for it (a lane, an outbound execution, a
/// resolution): two pushes of one record would each write with the version they read, and the second would lose.
/// </summary>
public sealed class RecordLocks
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Entry> _entries = [];

    public async Task<IDisposable> HoldAsync(string recordId, CancellationToken cancellationToken)
    {
        Entry entry;
        lock (_gate)
        {
            if (!_entries.TryGetValue(recordId, out entry!))
            {
                _entries[recordId] = entry = new Entry();
            }
            entry.Users++;
        }
        try
        {
            await entry.Turn.WaitAsync(cancellationToken);
        }
        catch
        {
            Leave(recordId, entry);
            throw;
        }
        return new Held(() =>
        {
            entry.Turn.Release();
            Leave(recordId, entry);
        });
    }

    private void Leave(string recordId, Entry entry)
    {
        lock (_gate)
        {
            if (--entry.Users == 0)
            {
                _entries.Remove(recordId);
            }
        }
    }

    private sealed class Entry
    {
        public SemaphoreSlim Turn { get; } = new(1, 1);

        public int Users { get; set; }
    }

    private sealed class Held(Action release) : IDisposable
    {
        public void Dispose() => release();
    }
}
