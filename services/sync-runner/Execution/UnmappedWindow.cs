using IntegrationSync.Shared.Sync;

namespace IntegrationSync.SyncRunner.Execution;

/// <summary>
/// Keeps a run at most <c>runner.max_unmapped_records</c> CRM records ahead of their mapping results. A tenant's big
/// sync then never floods the mappers' and the statistics' queues with more than that per run, so a small tenant's
/// records and results wait behind a bounded backlog, not behind a million; the sync takes as long as its mapping
/// does either way. Records forwarded to the non-CRM processors get no result and are not counted. 0 turns it off.
/// </summary>
public sealed class UnmappedWindow(MappingProgress progress, OwnedExecution owned, int window)
{
    private static readonly TimeSpan Recheck = TimeSpan.FromMilliseconds(250);
    private int _mapped;

    /// <summary>Returns once fewer than the window of <paramref name="published"/> CRM records lack a result; cancel and pause end the wait.</summary>
    public async Task WaitForRoomAsync(int published, RunControl control, CancellationToken cancellationToken)
    {
        if (window <= 0)
        {
            return;
        }
        while (published - _mapped > window)
        {
            _mapped = (await progress.ReadAsync(owned.TenantId, owned.ExecutionId, cancellationToken)).Total;
            if (published - _mapped > window)
            {
                await control.WaitAsync(Recheck, cancellationToken);
            }
        }
    }
}
