using IntegrationSync.Shared.Sync;
using IntegrationSync.SyncRunner.Adapters;

namespace IntegrationSync.SyncRunner.Execution;

/// <summary>
/// The deletions an adapter reported during an execution, across its runs: how many, and why some may be missing (the
/// vendor no longer keeps them). They are counted on the execution and logged; taking them to Castiel is a later step.
/// </summary>
public sealed class DeletionTally(ExecutionDocument execution, string adapter, ILogger logger)
{
    public int Detected { get; private set; } = execution.Deletions?.Detected ?? 0;

    public string? Missed { get; private set; } = execution.Deletions?.Missed;

    /// <summary>What the execution stores: null until a deletion was reported or may be missing.</summary>
    public ExecutionDeletions? Counted => Detected == 0 && Missed is null ? null : new(Detected, Missed);

    public void Add(string executionId, RecordPage page)
    {
        if (page.Deleted.Count > 0)
        {
            Detected += page.Deleted.Count;
            logger.LogInformation("Execution {ExecutionId}: {Adapter} reports {Count} records deleted since the cursor", executionId, adapter, page.Deleted.Count);
        }
        if (page.DeletesMissed is { } reason)
        {
            Missed = reason;
            logger.LogWarning("Execution {ExecutionId}: deletions at {Adapter} may be missing: {Reason}", executionId, adapter, reason);
        }
    }
}
