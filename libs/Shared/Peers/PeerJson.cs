using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using IntegrationSync.Shared.Security;

namespace IntegrationSync.Shared.Peers;

/// <summary>The one way the fleet reads from a Castiel peer: a tenant-scoped GET with a service token.</summary>
public static class PeerJson
{
    /// <summary>The response body, or null for a 404; any other failure is a <see cref="PeerCallException"/>.</summary>
    public static async Task<JsonNode?> GetAsync(
        HttpClient http, ServiceTokenIssuer tokens, string peer, string operation, string path, string tenantId,
        CancellationToken cancellationToken, bool echoErrorBody = true)
    {
        using var request = tokens.Authorize(new HttpRequestMessage(HttpMethod.Get, path), tenantId);
        using var response = await http.SendAsync(request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        if (!response.IsSuccessStatusCode)
        {
            var body = echoErrorBody ? await response.Content.ReadAsStringAsync(cancellationToken) : "";
            throw new PeerCallException(peer, operation, response.StatusCode, body);
        }
        return await response.Content.ReadFromJsonAsync<JsonNode>(cancellationToken);
    }

    /// <summary>The object itself, or what it wraps in <c>data</c>; null for a non-object or the <c>{}</c> a bare response schema sends.</summary>
    public static JsonObject? Unwrap(JsonNode? body)
    {
        var node = body is JsonObject wrapper && wrapper["data"] is JsonObject inner ? inner : body as JsonObject;
        return node is { Count: > 0 } ? node : null;
    }
}
