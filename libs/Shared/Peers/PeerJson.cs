using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using IntegrationSync.Shared.Security;

namespace IntegrationSync.Shared.Peers;

/// <summary>The one way the fleet calls a Castiel peer: a tenant-scoped request with a service token.</summary>
public static class PeerJson
{
    /// <summary>The response body, or null for a 404; any other failure is a <see cref="PeerCallException"/>.</summary>
    public static Task<JsonNode?> GetAsync(
        HttpClient http, ServiceTokenIssuer tokens, string peer, string operation, string path, string tenantId,
        CancellationToken cancellationToken, bool echoErrorBody = true) =>
        SendAsync(http, tokens, peer, operation, HttpMethod.Get, path, tenantId, body: null, cancellationToken, echoErrorBody);

    /// <summary>A request with an optional JSON body: the response body (<c>{}</c> when empty), null for a 404; any other failure is a <see cref="PeerCallException"/>.</summary>
    public static async Task<JsonNode?> SendAsync(
        HttpClient http, ServiceTokenIssuer tokens, string peer, string operation, HttpMethod method, string path, string tenantId, JsonNode? body,
        CancellationToken cancellationToken, bool echoErrorBody = true)
    {
        using var request = tokens.Authorize(new HttpRequestMessage(method, path), tenantId);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }
        using var response = await http.SendAsync(request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        if (!response.IsSuccessStatusCode)
        {
            var error = echoErrorBody ? await response.Content.ReadAsStringAsync(cancellationToken) : "";
            throw new PeerCallException(peer, operation, response.StatusCode, error);
        }
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        return string.IsNullOrWhiteSpace(text) ? new JsonObject() : JsonNode.Parse(text);
    }

    /// <summary>The object itself, or what it wraps in <c>data</c>; null for a non-object or the <c>{}</c> a bare response schema sends.</summary>
    public static JsonObject? Unwrap(JsonNode? body)
    {
        var node = body is JsonObject wrapper && wrapper["data"] is JsonObject inner ? inner : body as JsonObject;
        return node is { Count: > 0 } ? node : null;
    }
}
