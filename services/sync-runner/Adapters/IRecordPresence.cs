using IntegrationSync.SyncRunner.Adapters.Http;

namespace IntegrationSync.SyncRunner.Adapters;

/// <summary>
/// An adapter that can say, many records a call, which of some records still exist: what a reconciliation asks when the
/// vendor no longer reports the deletions since a run's cursor (every linked record it does not find was deleted).
/// </summary>
public interface IRecordPresence
{
    /// <summary>Records asked about in one call at most.</summary>
    int PresenceBatch { get; }

    /// <summary>Those of <paramref name="externalIds"/> the vendor still has (not deleted, not in a recycle bin).</summary>
    Task<IReadOnlySet<string>> PresentAsync(
        AdapterConnection connection, string entityType, IReadOnlyList<string> externalIds, ReadMeter meter, CancellationToken cancellationToken);
}
