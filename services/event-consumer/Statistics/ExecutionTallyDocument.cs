using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using IntegrationSync.Shared.Storage;
using IntegrationSync.Shared.Sync;

namespace IntegrationSync.EventConsumer.Statistics;

/// <summary>
/// The mapping results counted for an execution (container <c>integration_sync_state</c>): its counters, and the keys it
/// counted since its last sealed chunk, changed together under one ETag, so a duplicate or redelivered result is
/// recognised and the counts stay exact. Once <see cref="OpenCapacity"/> keys are open they move, unchanged, into the
/// immutable chunk <see cref="Sealed"/> (<see cref="TallyKeysDocument"/>), so a write never carries more than about
/// two chunks' worth of keys however large the execution. Completion and runs read the counters (<see cref="MappingProgress"/>).
/// </summary>
public sealed record ExecutionTallyDocument : CosmosDocument
{
    public const string DocType = MappingProgress.TallyType;
    public const int OpenCapacity = 512;

    public override string Type { get; init; } = DocType;
    public required string ExecutionId { get; init; }
    public int Created { get; init; }
    public int Updated { get; init; }
    public int Failed { get; init; }

    /// <summary>Chunks of keys sealed so far: <c>0 .. Sealed - 1</c>.</summary>
    public int Sealed { get; init; }

    /// <summary>The keys counted since the last sealed chunk, packed (<see cref="PackedDigests"/>).</summary>
    public string Open { get; init; } = "";

    /// <summary>
    /// Only on the tallies of earlier versions (eight shards of segments that held every key as a base64 string): read for
    /// their keys, so results they counted are not counted again; their counters still add up in <see cref="MappingProgress"/>.
    /// </summary>
    public List<string>? Keys { get; init; }

    public int Total => Created + Updated + Failed;

    public static string IdFor(string executionId) => $"tally-{executionId}";

    public IEnumerable<ulong> Digests() => PackedDigests.Decode(Open).Concat(Keys?.Select(LegacyDigest) ?? []);

    /// <summary>
    /// A result key's 64-bit digest: the first 8 bytes of its SHA-256 (collisions are negligible for the up to millions of
    /// records of one execution), as earlier versions stored them.
    /// </summary>
    public static ulong KeyOf(string resultKey)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(resultKey), hash);
        return BinaryPrimitives.ReadUInt64LittleEndian(hash);
    }

    private static ulong LegacyDigest(string key) => BinaryPrimitives.ReadUInt64LittleEndian(Convert.FromBase64String(key));
}

public enum MappingOutcome
{
    Created,
    Updated,
    Failed,
}
