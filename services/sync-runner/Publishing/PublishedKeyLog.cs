using System.Runtime.InteropServices;
using IntegrationSync.Shared.Storage;
using Microsoft.Azure.Cosmos;

namespace IntegrationSync.SyncRunner.Publishing;

/// <summary>One segment of an execution's published-record digests (container <c>integration_sync_state</c>).</summary>
public sealed record PublishedKeysDocument : CosmosDocument
{
    public const string DocType = "published_keys";
    public const int Capacity = 4000;

    public override string Type { get; init; } = DocType;
    public required string ExecutionId { get; init; }
    public int Segment { get; init; }
    public int Count { get; init; }

    /// <summary>The digests as one base64 string of little-endian 64-bit values.</summary>
    public string Digests { get; init; } = "";

    public static string IdFor(string executionId, int segment) => $"published-{executionId}-{segment}";

    public ulong[] Decode() => MemoryMarshal.Cast<byte, ulong>(Convert.FromBase64String(Digests)).ToArray();

    public PublishedKeysDocument Append(IReadOnlyCollection<ulong> digests)
    {
        var all = new List<ulong>(Count + digests.Count);
        all.AddRange(Decode());
        all.AddRange(digests);
        return this with { Count = all.Count, Digests = Convert.ToBase64String(MemoryMarshal.AsBytes(CollectionsMarshal.AsSpan(all))) };
    }
}

/// <summary>
/// An execution's <see cref="PublishedKeys"/> and where they are stored: a checkpoint stores the digests of the pages it
/// covers before it moves the cursor, so a resume (on any runner) knows every record published up to its checkpoint.
/// Only the last segment is ever written again; a write that loses its ETag (the runner this one replaced, still
/// finishing) takes the segment as stored and appends to it.
/// </summary>
public sealed class PublishedKeyLog(PublishedKeySegments segments, CosmosRetry retry, string tenantId, string executionId)
{
    private PublishedKeysDocument? _tail;

    public PublishedKeys Keys { get; } = new();

    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        var stored = await retry.ExecuteAsync(async t => await segments.ListAsync(tenantId, executionId, t), cancellationToken);
        foreach (var digest in stored.SelectMany(s => s.Decode()))
        {
            Keys.Restore(digest);
        }
        _tail = stored.MaxBy(s => s.Segment);
    }

    /// <summary>Stores the digests added up to <paramref name="through"/>; one write at a time (the checkpoint writer's order).</summary>
    public async Task SaveThroughAsync(long through, CancellationToken cancellationToken)
    {
        var digests = Keys.Unsaved(through);
        for (var offset = 0; offset < digests.Count;)
        {
            var tail = _tail is { Count: < PublishedKeysDocument.Capacity }
                ? _tail
                : new PublishedKeysDocument
                {
                    Id = PublishedKeysDocument.IdFor(executionId, (_tail?.Segment ?? -1) + 1), TenantId = tenantId, ExecutionId = executionId,
                    Segment = (_tail?.Segment ?? -1) + 1,
                };
            var chunk = digests.GetRange(offset, Math.Min(PublishedKeysDocument.Capacity - tail.Count, digests.Count - offset));
            var written = await retry.ExecuteAsync(async t => tail.ETag is null
                ? await segments.TryCreateAsync(tail.Append(chunk), t)
                : await segments.TryReplaceAsync(tail.Append(chunk), t), cancellationToken);
            if (written is null)
            {
                _tail = await retry.ExecuteAsync(async t => await segments.ReadAsync(tenantId, tail.Id, t), cancellationToken);
                continue;
            }
            _tail = written;
            offset += chunk.Count;
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
