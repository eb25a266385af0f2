using IntegrationSync.Shared.Sync;
using IntegrationSync.SyncRunner.Adapters;

namespace IntegrationSync.SyncRunner.Deletions;

/// <summary>
/// The deletions an adapter reported during an execution, across its runs (counted from the execution's last
/// checkpoint, so a page read again after a resume counts once): how many, why some may be missing (the vendor no longer
/// keeps them), how many reached Castiel, had no shard to reach, or wait for a person.
/// </summary>
public sealed class DeletionTally(ExecutionDocument execution, string adapter, ILogger logger)
{
    private ExecutionDeletions _counted = execution.Deletions ?? new ExecutionDeletions(0, null);

    /// <summary>What the execution stores: null until a deletion was reported or may be missing.</summary>
    public ExecutionDeletions? Counted => _counted is { Detected: 0, Missed: null, Held: 0, Reconciling: false, Reconciled: 0 } ? null : _counted;

    public ExecutionDeletions Current => _counted;

    public void Add(string executionId, RecordPage page)
    {
        if (page.Deleted.Count > 0)
        {
            _counted = _counted with { Detected = _counted.Detected + page.Deleted.Count };
            logger.LogInformation("Execution {ExecutionId}: {Adapter} reports {Count} records deleted since the cursor", executionId, adapter, page.Deleted.Count);
        }
        if (page.DeletesMissed is { } reason)
        {
            _counted = _counted with { Missed = reason };
            logger.LogWarning("Execution {ExecutionId}: deletions at {Adapter} may be missing: {Reason}", executionId, adapter, reason);
        }
    }

    public void Propagated(int count) => _counted = _counted with { Propagated = _counted.Propagated + count };

    public void Unlinked(int count) => _counted = _counted with { Unlinked = _counted.Unlinked + count };

    public void Held(int count) => _counted = _counted with { Held = count, Approval = ExecutionDeletions.Pending };

    /// <summary>The deletions since the cursor are gone at the vendor: the run compares its linked records with the vendor instead.</summary>
    public void Reconcile() => _counted = _counted with { Reconciling = true };

    public void Reconciled(int gone) => _counted = _counted with { Reconciling = false, Reconciled = _counted.Reconciled + gone };
}
