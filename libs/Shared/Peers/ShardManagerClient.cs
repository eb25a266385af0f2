using System.Text.Json.Nodes;
using IntegrationSync.Shared.Security;

namespace IntegrationSync.Shared.Peers;

/// <summary>shard-manager's shard routes (reference §6.4; <c>GET|PUT|DELETE /api/v1/shards/{id}</c>), with service tokens.</summary>
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

    private static string Path(string shardId) => $"api/v1/shards/{Uri.EscapeDataString(shardId)}";
}
