using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using IntegrationSync.Shared.Security;

namespace IntegrationSync.Shared.Peers;

/// <summary>secret-management's <c>GET /api/secrets/{id}/value</c> → <c>{ value }</c> (reference §6.3), with service tokens.</summary>
public sealed class SecretManagementClient(HttpClient http, ServiceTokenIssuer tokens)
{
    public const string Name = "secret-management";

    /// <summary>The secret's value, or null when secret-management has no such secret.</summary>
    public async Task<string?> GetSecretValueAsync(string tenantId, string secretId, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"api/secrets/{Uri.EscapeDataString(secretId)}/value");
        tokens.Authorize(request, tenantId);
        using var response = await http.SendAsync(request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        if (!response.IsSuccessStatusCode)
        {
            // The body of a secret route is never echoed into an exception message.
            throw new PeerCallException(Name, $"GET secret {secretId}", response.StatusCode, "");
        }
        var body = await response.Content.ReadFromJsonAsync<JsonNode>(cancellationToken);
        return body?["value"] switch
        {
            JsonValue value when value.TryGetValue<string>(out var text) => text,
            JsonObject structured => structured.ToJsonString(),
            _ => throw new PeerCallException(Name, $"GET secret {secretId}", response.StatusCode, "the response has no value"),
        };
    }
}
