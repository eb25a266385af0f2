using System.Security.Cryptography;
using System.Text;
using IntegrationSync.Shared.Storage;
using IntegrationSync.Shared.Sync;

namespace IntegrationSync.EventConsumer.Statistics;

/// <summary>
/// One segment of one shard of the mapping results counted for an execution: the keys it counted and their counters,
/// changed together under one ETag, so a duplicate or redelivered result is recognised and the counts stay exact
/// (container <c>integration_sync_state</c>). A result belongs to shard <c>digest[0] % Shards</c>; a shard is a chain of
/// segments of at most <see cref="SegmentCapacity"/> keys, and only its last segment is ever written again.
/// </summary>
public sealed record ExecutionTallyDocument : CosmosDocument
{
    public const string DocType = MappingProgress.TallyType;
    public const int Shards = 8;
    public const int SegmentCapacity = 2000;

    public override string Type { get; init; } = DocType;
    public required string ExecutionId { get; init; }
    public int Shard { get; init; }
    public int Segment { get; init; }
    public int Created { get; init; }
    public int Updated { get; init; }
    public int Failed { get; init; }
    public List<string> Keys { get; init; } = [];

    public int Total => Created + Updated + Failed;

    public static string IdFor(string executionId, int shard, int segment) => $"tally-{executionId}-{shard}-{segment}";

    /// <summary>
    /// A result key's 64-bit digest (collisions are negligible for the up to millions of records of one execution)
    /// and the shard it belongs to, from one hash.
    /// </summary>
    public static (string Digest, int Shard) KeyOf(string resultKey)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(resultKey), hash);
        return (Convert.ToBase64String(hash[..8]), hash[0] % Shards);
    }
}

public enum MappingOutcome
{
    Created,
    Updated,
    Failed,
}
