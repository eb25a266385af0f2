using System.Text.Json.Serialization;

namespace IntegrationSync.Shared.Storage;

/// <summary>
/// Every document: its id, its tenant (the partition key), its kind (<see cref="Type"/>: in the single-container layout
/// every kind shares one container) and the ETag that guards replaces.
/// </summary>
public abstract record CosmosDocument
{
    /// <summary>The document's kind; a document written without one (by the original system) reads as its repository's kind.</summary>
    public abstract string Type { get; init; }

    public required string Id { get; init; }

    public required string TenantId { get; init; }

    [JsonPropertyName("_etag")]
    public string? ETag { get; init; }
}
