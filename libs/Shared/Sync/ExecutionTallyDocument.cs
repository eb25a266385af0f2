using System.Security.Cryptography;
using System.Text;
using IntegrationSync.Shared.Storage;

namespace IntegrationSync.Shared.Sync;

/// <summary>
/// The mapping results counted for one execution, with the keys already counted, in one document:
/// a duplicate or redelivered result is recognised and the counts stay exact, because the dedupe set
/// and the counters change together under one ETag (container <c>integration_sync_state</c>).
/// </summary>
public sealed record ExecutionTallyDocument : CosmosDocument
{
    public const string DocType = "execution_tally";

    public string Type { get; init; } = DocType;
    public required string ExecutionId { get; init; }
    public int Created { get; init; }
    public int Updated { get; init; }
    public int Failed { get; init; }
    public List<string> Keys { get; init; } = [];

    public int Total => Created + Updated + Failed;

    public static string IdFor(string executionId) => $"tally-{executionId}";

    /// <summary>A short stable digest: a run may hold up to max_records_per_sync keys in this document.</summary>
    public static string Digest(string resultKey) =>
        Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(resultKey)).AsSpan(0, 15));
}

public enum MappingOutcome
{
    Created,
    Updated,
    Failed,
}
