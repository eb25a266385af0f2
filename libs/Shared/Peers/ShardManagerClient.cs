using System.Text.Json.Nodes;
using IntegrationSync.Shared.Security;

namespace IntegrationSync.Shared.Peers;

/// <summary>shard-manager's shard routes (reference §6.4; <c>GET|PUT|DELETE /api/v1/shards/{id}</c>, <c>GET /api/v1/shards</c>), with service tokens.</summary>
public sealed class ShardManagerClient(HttpClient http, ServiceTokenIssuer tokens)
{
    public const string Name = "shard-manager";

    /// <summary>The shard, or null when absent or when shard-manager's bare response schema sent <c>{}</c>.</summary>
    public async Task<JsonObject?> GetShardAsync(string tenantId, string shardId, CancellationToken cancellationToken)
    {
        var body = await PeerJson.GetAsync(http, tokens, Name, "GET shard", Path(shardId), tenantId, cancellationToken);
        return PeerJson.Unwrap(body);
    }

    /// <summary>
    /// The shard; <c>Found</c> false only for a 404. A found shard may still be null: shard-manager's bare response schema
    /// sends <c>{}</c> for every shard (reference §6.4), which says it exists and nothing else.
    /// </summary>
    public async Task<(bool Found, JsonObject? Shard)> FindShardAsync(string tenantId, string shardId, CancellationToken cancellationToken)
    {
        var body = await PeerJson.GetAsync(http, tokens, Name, "GET shard", Path(shardId), tenantId, cancellationToken);
        return (body is not null, PeerJson.Unwrap(body));
    }

    /// <summary>
    /// shard-manager's update: <c>structuredData</c> replaces the stored one as a whole, <c>metadata</c> is merged into
    /// it; publishes <c>shard.updated</c>. False when the shard does not exist.
    /// </summary>
    public async Task<bool> UpdateShardAsync(string tenantId, string shardId, JsonObject update, CancellationToken cancellationToken) =>
        await PeerJson.SendAsync(http, tokens, Name, "PUT shard", HttpMethod.Put, Path(shardId), tenantId, update, cancellationToken) is not null;

    /// <summary>shard-manager's soft delete (publishes <c>shard.deleted</c>); a shard already gone is fine.</summary>
    public Task DeleteShardAsync(string tenantId, string shardId, CancellationToken cancellationToken) =>
        PeerJson.SendAsync(http, tokens, Name, "DELETE shard", HttpMethod.Delete, Path(shardId), tenantId, body: null, cancellationToken);

    /// <summary>
    /// A page of the tenant's live shards of one type (<c>GET /api/v1/shards</c>: <c>shardTypeId</c> when it is a UUID, as
    /// shard-manager's schema requires, else <c>shardTypeName</c>; at most 5,000 a page) and the token of the next page.
    /// </summary>
    public async Task<(List<JsonObject> Shards, string? Continuation)> ListShardsAsync(
        string tenantId, string? shardTypeId, string? shardTypeName, string? continuation, int limit, CancellationToken cancellationToken)
    {
        var query = new List<string> { $"limit={limit}" };
        if (Guid.TryParse(shardTypeId, out _))
        {
            query.Add($"shardTypeId={Uri.EscapeDataString(shardTypeId!)}");
        }
        else if ((shardTypeName ?? shardTypeId) is { } name)
        {
            query.Add($"shardTypeName={Uri.EscapeDataString(name)}");
        }
        if (continuation is not null)
        {
            query.Add($"continuationToken={Uri.EscapeDataString(continuation)}");
        }
        var body = await PeerJson.GetAsync(http, tokens, Name, "list shards", $"api/v1/shards?{string.Join('&', query)}", tenantId, cancellationToken);
        var items = (body?["items"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        return (items, body?["continuationToken"] is JsonValue next && next.TryGetValue<string>(out var token) && token.Length > 0 ? token : null);
    }

    private static string Path(string shardId) => $"api/v1/shards/{Uri.EscapeDataString(shardId)}";
}
