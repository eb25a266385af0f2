using System.Text.Json.Serialization;

namespace IntegrationSync.Shared.Storage;

/// <summary>Every document: its id, its tenant (the partition key) and the ETag that guards replaces.</summary>
public abstract record CosmosDocument
{
    public required string Id { get; init; }

    public required string TenantId { get; init; }

    [JsonPropertyName("_etag")]
    public string? ETag { get; init; }
}
