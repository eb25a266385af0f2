using System.Net;
using IntegrationSync.Shared.Storage;
using Microsoft.Azure.Cosmos;

namespace IntegrationSync.Shared.Sync;

public sealed class ExecutionTallyRepository(CosmosContainers containers) : CosmosRepository<ExecutionTallyDocument>(containers.SyncState)
{
    /// <summary>Counts each result key once; returns the tally after the change (or unchanged for a duplicate).</summary>
    public async Task<ExecutionTallyDocument> RecordAsync(
        string tenantId, string executionId, IReadOnlyCollection<(string Key, MappingOutcome Outcome)> results, CancellationToken cancellationToken)
    {
        var id = ExecutionTallyDocument.IdFor(executionId);
        if (await TryCreateAsync(tenantId, id, executionId, results, cancellationToken) is { } created)
        {
            return created;
        }
        return await UpdateAsync(tenantId, id, tally => Apply(tally, results), cancellationToken)
            ?? await ReadAsync(tenantId, id, cancellationToken)
            ?? throw new InvalidOperationException($"Tally {id} vanished.");
    }

    private static ExecutionTallyDocument? Apply(ExecutionTallyDocument tally, IReadOnlyCollection<(string Key, MappingOutcome Outcome)> results)
    {
        var seen = tally.Keys.ToHashSet();
        var (created, updated, failed) = (tally.Created, tally.Updated, tally.Failed);
        foreach (var (key, outcome) in results)
        {
            if (!seen.Add(ExecutionTallyDocument.Digest(key)))
            {
                continue;
            }
            switch (outcome)
            {
                case MappingOutcome.Created: created++; break;
                case MappingOutcome.Updated: updated++; break;
                default: failed++; break;
            }
        }
        return seen.Count == tally.Keys.Count
            ? null
            : tally with { Created = created, Updated = updated, Failed = failed, Keys = [.. seen] };
    }

    private async Task<ExecutionTallyDocument?> TryCreateAsync(
        string tenantId, string id, string executionId, IReadOnlyCollection<(string Key, MappingOutcome Outcome)> results, CancellationToken cancellationToken)
    {
        if (await ReadAsync(tenantId, id, cancellationToken) is not null)
        {
            return null;
        }
        var empty = new ExecutionTallyDocument { Id = id, TenantId = tenantId, ExecutionId = executionId };
        try
        {
            return await CreateAsync(Apply(empty, results) ?? empty, cancellationToken);
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.Conflict)
        {
            return null;
        }
    }
}
