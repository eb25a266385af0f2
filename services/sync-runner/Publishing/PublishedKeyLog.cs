using System.Runtime.InteropServices;
using IntegrationSync.Shared.Storage;
using Microsoft.Azure.Cosmos;

namespace IntegrationSync.SyncRunner.Publishing;

/// <summary>
/// One segment of an execution's published-record digests (container <c>integration_sync_state</c>): the digests of one
/// checkpoint (at most <see cref="Capacity"/>), written once and never again.
/// </summary>
public sealed record PublishedKeysDocument : CosmosDocument
{
    public const string DocType = "published_keys";
    public const int Capacity = 4000;

    public override string Type { get; init; } = DocType;
    public required string ExecutionId { get; init; }
    public int Segment { get; init; }
    public int Count { get; init; }

    /// <summary>The digests, packed (<see cref="PackedDigests"/>).</summary>
    public string Digests { get; init; } = "";

    public static string IdFor(string executionId, int segment) => $"published-{executionId}-{segment}";

    public ulong[] Decode() => PackedDigests.Decode(Digests);
}

/// <summary>
/// An execution's <see cref="PublishedKeys"/> and where they are stored: a checkpoint stores the digests of the pages it
/// covers before it moves the cursor, so a resume (on any runner) knows every record published up to its checkpoint.
/// Each checkpoint creates segments of its own, so a write costs what it adds, never what was stored before it; a
/// segment number already taken (by the runner this one replaced, still finishing) moves this one to the next.
/// </summary>
public sealed class PublishedKeyLog(PublishedKeySegments segments, CosmosRetry retry, string tenantId, string executionId)
{
    private int _nextSegment;

    public PublishedKeys Keys { get; } = new();

    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        var stored = await retry.ExecuteAsync(async t => await segments.ListAsync(tenantId, executionId, t), cancellationToken);
        foreach (var digest in stored.SelectMany(s => s.Decode()))
        {
            Keys.Restore(digest);
        }
        _nextSegment = stored.Count == 0 ? 0 : stored.Max(s => s.Segment) + 1;
    }

    /// <summary>Stores the digests added up to <paramref name="through"/>; one write at a time (the checkpoint writer's order).</summary>
    public async Task SaveThroughAsync(long through, CancellationToken cancellationToken)
    {
        var digests = Keys.Unsaved(through);
        for (var offset = 0; offset < digests.Count;)
        {
            var chunk = digests.GetRange(offset, Math.Min(PublishedKeysDocument.Capacity, digests.Count - offset));
            var segment = new PublishedKeysDocument
            {
                Id = PublishedKeysDocument.IdFor(executionId, _nextSegment), TenantId = tenantId, ExecutionId = executionId,
                Segment = _nextSegment, Count = chunk.Count, Digests = PackedDigests.Encode(CollectionsMarshal.AsSpan(chunk)),
            };
            var written = await retry.ExecuteAsync(async t => await segments.TryCreateAsync(segment, t), cancellationToken);
            _nextSegment++;
            if (written is not null)
            {
                offset += chunk.Count;
            }
        }
        Keys.MarkSaved(through);
    }
}

public sealed class PublishedKeySegments(CosmosContainers containers) : CosmosRepository<PublishedKeysDocument>(containers.SyncState, containers.Kind(PublishedKeysDocument.DocType))
{
    public Task<List<PublishedKeysDocument>> ListAsync(string tenantId, string executionId, CancellationToken cancellationToken) =>
        QueryAsync(tenantId, new QueryDefinition($"SELECT * FROM c WHERE {OfKind} AND c.tenantId = @tenant AND c.executionId = @execution")
            .WithParameter("@tenant", tenantId).WithParameter("@execution", executionId),
            null, cancellationToken);

    public PublishedKeyLog Open(CosmosRetry retry, string tenantId, string executionId) => new(this, retry, tenantId, executionId);
}
