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
        // The body of a secret route is never echoed into an exception message.
        var body = await PeerJson.GetAsync(http, tokens, Name, $"GET secret {secretId}", $"api/secrets/{Uri.EscapeDataString(secretId)}/value",
            tenantId, cancellationToken, echoErrorBody: false);
        if (body is null)
        {
            return null;
        }
        return body["value"] switch
        {
            JsonValue value when value.TryGetValue<string>(out var text) => text,
            JsonObject structured => structured.ToJsonString(),
            _ => throw new PeerCallException(Name, $"GET secret {secretId}", System.Net.HttpStatusCode.OK, "the response has no value"),
        };
    }
}
