using System.Threading.Channels;

namespace IntegrationSync.SyncRunner.Outbound;

/// <summary>
/// The records of one integration waiting to be pushed by this runner, each queued once however often it is asked for.
/// The lane closes when it has been empty for its idle time; a record offered after that goes to a new lane.
/// </summary>
public sealed class PushLane(string tenantId, string integrationId, TimeSpan idle)
{
    private readonly Lock _gate = new();
    private readonly HashSet<string> _queued = [];
    private readonly Channel<string> _records = Channel.CreateUnbounded<string>();
    private bool _closed;

    public string TenantId => tenantId;
    public string IntegrationId => integrationId;

    /// <summary>False once the lane has closed.</summary>
    public bool TryAdd(string recordId)
    {
        lock (_gate)
        {
            if (_closed)
            {
                return false;
            }
            if (_queued.Add(recordId))
            {
                _records.Writer.TryWrite(recordId);
            }
            return true;
        }
    }

    /// <summary>The next record, or null once the lane stayed empty for its idle time (it is closed then).</summary>
    public async Task<string?> TakeAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            wait.CancelAfter(idle);
            try
            {
                var recordId = await _records.Reader.ReadAsync(wait.Token);
                lock (_gate)
                {
                    _queued.Remove(recordId);
                }
                return recordId;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                lock (_gate)
                {
                    if (_records.Reader.Count == 0)
                    {
                        _closed = true;
                        return null;
                    }
                }
            }
        }
    }

    /// <summary>Closes the lane at once (no slot, the integration cannot be opened): what it held stays pending for the sweep.</summary>
    public IReadOnlyList<string> Close()
    {
        lock (_gate)
        {
            _closed = true;
            var left = _queued.ToList();
            _queued.Clear();
            return left;
        }
    }
}
