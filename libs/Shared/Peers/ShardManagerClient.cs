using System.Net;
using System.Net.Http.Json;
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
        using var request = new HttpRequestMessage(HttpMethod.Get, $"api/v1/shards/{Uri.EscapeDataString(shardId)}");
        tokens.Authorize(request, tenantId);
        using var response = await http.SendAsync(request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        if (!response.IsSuccessStatusCode)
        {
            throw new PeerCallException(Name, "GET shard", response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
        }
        var body = await response.Content.ReadFromJsonAsync<JsonNode>(cancellationToken);
        var shard = body is JsonObject wrapper && wrapper["data"] is JsonObject inner ? inner : body as JsonObject;
        return shard is { Count: > 0 } ? shard : null;
    }
}
