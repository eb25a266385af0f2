using System.Text.Json.Nodes;
using IntegrationSync.Shared.Contracts;
using IntegrationSync.Shared.Contracts.Events;
using IntegrationSync.Shared.Messaging;

namespace IntegrationSync.CastielPeers.Shards;

/// <summary>
/// shard-manager's shard service over the stand-in's store, as Edgame2/castiel2's <c>ShardService</c> behaves: a create
/// stamps ids, revision and times and publishes <c>shard.created</c>; an update refuses archived and deleted shards,
/// replaces <c>structuredData</c> (and the other given fields) as a whole, merges <c>metadata</c>, moves the revision and
/// <c>updatedAt</c> on, and publishes <c>shard.updated</c> (<c>shardId</c>, <c>shardTypeId</c>, <c>shardTypeName</c>,
/// <c>opportunityId</c>); a delete is soft (<c>status: deleted</c>, <c>deletedAt</c>) and publishes <c>shard.deleted</c>.
/// </summary>
public sealed class ShardBook(PeerStore store, IEventPublisher publisher, TimeProvider time)
{
    private static readonly string[] Replaced =
        ["structuredData", "unstructuredData", "enrichmentData", "internal_relationships", "external_relationships", "acl", "status", "parentShardId"];

    private readonly Lock _gate = new();

    public async Task<JsonObject> CreateAsync(string tenantId, JsonObject input, CancellationToken cancellationToken)
    {
        var now = IsoTime.Format(time.GetUtcNow());
        var shard = input.DeepClone().AsObject();
        shard["id"] = Guid.NewGuid().ToString();
        shard["tenantId"] = tenantId;
        shard["revisionId"] = Guid.NewGuid().ToString();
        shard["revisionNumber"] = 1;
        shard["status"] ??= "active";
        shard["createdAt"] = now;
        shard["updatedAt"] = now;
        store.Shards[(string)shard["id"]!] = shard;
        await publisher.PublishAsync(new ShardCreated((string)shard["id"]!, Text(shard, "shardTypeId"), Text(shard, "shardTypeName"), OpportunityId(shard)),
            tenantId, cancellationToken: cancellationToken);
        return shard.DeepClone().AsObject();
    }

    /// <summary>The updated shard; null when absent (404); throws <see cref="InvalidOperationException"/> for an archived or deleted one (403).</summary>
    public async Task<JsonObject?> UpdateAsync(string tenantId, string shardId, JsonObject input, CancellationToken cancellationToken)
    {
        JsonObject updated;
        lock (_gate)
        {
            if (Find(tenantId, shardId) is not { } shard)
            {
                return null;
            }
            if (Text(shard, "status") == "archived" || shard["deletedAt"] is not null)
            {
                throw new InvalidOperationException($"Cannot update {(shard["deletedAt"] is null ? "archived" : "deleted")} shard");
            }
            foreach (var field in Replaced.Where(input.ContainsKey))
            {
                shard[field] = input[field]?.DeepClone();
            }
            if (input["metadata"] is JsonObject metadata)
            {
                var merged = shard["metadata"] as JsonObject ?? [];
                foreach (var (key, value) in metadata)
                {
                    merged[key] = value?.DeepClone();
                }
                shard["metadata"] = merged.DeepClone();
            }
            var now = IsoTime.Format(time.GetUtcNow());
            shard["revisionId"] = Guid.NewGuid().ToString();
            shard["revisionNumber"] = ((int?)shard["revisionNumber"] ?? 0) + 1;
            shard["updatedAt"] = now;
            shard["lastActivityAt"] = now;
            updated = shard.DeepClone().AsObject();
        }
        await publisher.PublishAsync(new ShardUpdated(shardId, Text(updated, "shardTypeId"), Text(updated, "shardTypeName"), OpportunityId(updated)),
            tenantId, cancellationToken: cancellationToken);
        return updated;
    }

    public async Task<bool> DeleteAsync(string tenantId, string shardId, CancellationToken cancellationToken)
    {
        JsonObject deleted;
        lock (_gate)
        {
            if (Find(tenantId, shardId) is not { } shard)
            {
                return false;
            }
            var now = IsoTime.Format(time.GetUtcNow());
            shard["status"] = "deleted";
            shard["deletedAt"] = now;
            shard["updatedAt"] = now;
            deleted = shard.DeepClone().AsObject();
        }
        await publisher.PublishAsync(new ShardDeleted(shardId, Text(deleted, "shardTypeId"), Text(deleted, "shardTypeName"), OpportunityId(deleted)),
            tenantId, cancellationToken: cancellationToken);
        return true;
    }

    public JsonObject? Find(string tenantId, string shardId) =>
        store.Shards.TryGetValue(shardId, out var shard) && Text(shard, "tenantId") is { } owner && string.Equals(owner, tenantId, StringComparison.OrdinalIgnoreCase)
            ? shard
            : null;

    /// <summary>
    /// The shard integration-processors' mapper finds for a record: same tenant, type and <c>metadata.externalId</c>, and
    /// here also the same integration (vendor ids are unique, but every vendor fake counts its ids from the same start).
    /// </summary>
    /// <summary>
    /// shard-manager's listing: the tenant's live shards (deleted ones left out), of a type when one is named, a page at a
    /// time in a stable order; the continuation token is the position after the page.
    /// </summary>
    public object List(string tenantId, string? shardTypeId, string? shardTypeName, int limit, string? continuationToken)
    {
        var skip = int.TryParse(continuationToken, out var position) ? position : 0;
        var all = store.Shards.Values.Where(s => Text(s, "tenantId") == tenantId && s["deletedAt"] is null
                && (shardTypeId is null || Text(s, "shardTypeId") == shardTypeId) && (shardTypeName is null || (Text(s, "shardTypeName") ?? Text(s, "shardTypeId")) == shardTypeName))
            .OrderBy(s => Text(s, "id"), StringComparer.Ordinal).ToList();
        var page = all.Skip(skip).Take(limit).Select(s => s.DeepClone()).ToList();
        return skip + limit < all.Count ? new { items = page, continuationToken = (skip + limit).ToString(System.Globalization.CultureInfo.InvariantCulture) } : new { items = page };
    }

    /// <summary>A live shard of the record: shard-manager's listings leave deleted shards out unless asked for them.</summary>
    public JsonObject? FindByExternalId(string tenantId, string integrationId, string? shardTypeId, string externalId) =>
        store.Shards.Values.FirstOrDefault(s => Text(s, "tenantId") == tenantId && Text(s, "shardTypeId") == shardTypeId && s["deletedAt"] is null
            && Text(s["metadata"] as JsonObject, "externalId") == externalId && Text(s["metadata"] as JsonObject, "integrationId") == integrationId);

    private static string? OpportunityId(JsonObject shard) =>
        Text(shard["structuredData"] as JsonObject, "opportunityId") ?? Text(shard["structuredData"] as JsonObject, "id");

    private static string? Text(JsonObject? node, string name) => node?[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
