using IntegrationSync.Shared.Storage;
using Microsoft.Azure.Cosmos;

namespace IntegrationSync.EventConsumer.Statistics;

/// <summary>
/// A sealed chunk of an execution's counted result keys: the open keys of its tally when they filled up, written once
/// (container <c>integration_sync_state</c>). It carries no counters, so reading the counts never reads it.
/// </summary>
public sealed record TallyKeysDocument : CosmosDocument
{
    public const string DocType = "execution_tally_keys";

    public override string Type { get; init; } = DocType;
    public required string ExecutionId { get; init; }
    public int Chunk { get; init; }
    public string Digests { get; init; } = "";

    public static string IdFor(string executionId, int chunk) => $"tallykeys-{executionId}-{chunk}";
}

public sealed class TallyKeyChunks(CosmosContainers containers) : CosmosRepository<TallyKeysDocument>(containers.SyncState, containers.Kind(TallyKeysDocument.DocType))
{
    /// <summary>The execution's chunks numbered <paramref name="from"/> and up.</summary>
    public Task<List<TallyKeysDocument>> ListAsync(string tenantId, string executionId, int from, CancellationToken cancellationToken) =>
        QueryAsync(tenantId, new QueryDefinition(
                $"SELECT * FROM c WHERE {OfKind} AND c.tenantId = @tenant AND c.executionId = @execution AND c.chunk >= @from")
            .WithParameter("@tenant", tenantId).WithParameter("@execution", executionId).WithParameter("@from", from), null, cancellationToken);

    /// <summary>
    /// Seals <paramref name="digests"/> as chunk <paramref name="chunk"/>. The chunk may exist already (a writer that sealed
    /// it and lost its tally write, or died): it then holds the same keys, or is completed with them. False on a lost race.
    /// </summary>
    public async Task<bool> SealAsync(string tenantId, string executionId, int chunk, ulong[] digests, CancellationToken cancellationToken)
    {
        var sealing = new TallyKeysDocument
        {
            Id = TallyKeysDocument.IdFor(executionId, chunk), TenantId = tenantId, ExecutionId = executionId, Chunk = chunk,
            Digests = PackedDigests.Encode(digests),
        };
        if (await TryCreateAsync(sealing, cancellationToken) is not null)
        {
            return true;
        }
        var stored = await ReadAsync(tenantId, sealing.Id, cancellationToken);
        var missing = digests.Except(PackedDigests.Decode(stored?.Digests)).ToArray();
        if (stored is null || missing.Length == 0)
        {
            return stored is not null;
        }
        var union = stored with { Digests = PackedDigests.Encode([.. PackedDigests.Decode(stored.Digests), .. missing]) };
        return await TryReplaceAsync(union, cancellationToken) is not null;
    }
}
