using System.Text.Json.Nodes;
using IntegrationSync.Shared.Contracts;

namespace IntegrationSync.Shared.SyncState;

/// <summary>
/// A shard as shard-manager returns it (reference §6.4), read tolerantly: every field may be missing. Its link to an
/// integration record is <c>metadata.externalId</c> with <c>metadata.integrationId</c> (or <c>externalSource</c>), as
/// integration-processors' mapper writes it, else an <c>external_relationships[]</c> entry naming the integration in
/// <c>metadata.integrationId</c>, <c>integrationId</c> or <c>system</c>.
/// </summary>
public sealed record ShardView(JsonObject Shard)
{
    public string? Id => Text(Shard["id"]);
    public string? ShardTypeId => Text(Shard["shardTypeId"]);
    public string? ShardTypeName => Text(Shard["shardTypeName"]);
    public JsonObject? StructuredData => Shard["structuredData"] as JsonObject;
    public JsonObject? Metadata => Shard["metadata"] as JsonObject;
    public DateTimeOffset? UpdatedAt => IsoTime.Parse(Text(Shard["updatedAt"]));

    /// <summary>When integration-processors last wrote it from a vendor record (<c>metadata.syncedAt</c>).</summary>
    public DateTimeOffset? SyncedAt => IsoTime.Parse(Text(Metadata?["syncedAt"]));

    /// <summary>Soft-deleted (status <c>deleted</c> or a <c>deletedAt</c>).</summary>
    public bool Deleted => Text(Shard["status"]) == "deleted" || Shard["deletedAt"] is JsonValue;

    /// <summary>The integration and external id the shard is linked to for <paramref name="integrationId"/> (any, when null).</summary>
    public (string IntegrationId, string? ExternalId)? Link(string? integrationId = null)
    {
        if ((Text(Metadata?["integrationId"]) ?? Text(Metadata?["externalSource"])) is { } fromMetadata
            && (integrationId is null || fromMetadata == integrationId))
        {
            return (fromMetadata, Text(Metadata?["externalId"]));
        }
        foreach (var node in Shard["external_relationships"] as JsonArray ?? [])
        {
            if (node is JsonObject relation
                && (Text(relation["metadata"]?["integrationId"]) ?? Text(relation["integrationId"]) ?? GuidText(relation["system"])) is { } linked
                && (integrationId is null || linked == integrationId))
            {
                return (linked, Text(relation["externalId"]));
            }
        }
        return null;
    }

    private static string? GuidText(JsonNode? node) => Text(node) is { } text && Guid.TryParse(text, out _) ? text : null;

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) && text.Length > 0 ? text : null;
}
