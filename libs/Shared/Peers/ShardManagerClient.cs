using System.Text.Json.Nodes;
using IntegrationSync.Shared.Security;

namespace IntegrationSync.Shared.Peers;

/// <summary>shard-manager's shard read (reference §6.4), with service tokens.</summary>
public sealed class ShardManagerClient(HttpClient http, ServiceTokenIssuer tokens)
{
    public const string Name = "shard-manager";

    /// <summary>The shard, or null when absent or when shard-manager's bare response schema sent <c>{}</c>.</summary>
    public async Task<JsonObject?> GetShardAsync(string tenantId, string shardId, CancellationToken cancellationToken)
    {
        var body = await PeerJson.GetAsync(http, tokens, Name, "GET shard", $"api/v1/shards/{Uri.EscapeDataString(shardId)}", tenantId, cancellationToken);
        return PeerJson.Unwrap(body);
    }
}
