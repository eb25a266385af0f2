using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace IntegrationSync.SyncApi.Inbound;

/// <summary>
/// Dynamics 365 / Dataverse service endpoint webhooks: the key registered with the webhook comes back in the header
/// <c>x-castiel-webhook-key</c> (authentication type HttpHeader) or as <c>?code=</c> (type WebhookKey). The key proves only
/// that the caller knows it: it signs neither the body nor a time, so it is a bearer credential (HTTPS only), and the body
/// hash is the replay key. The entity comes from <c>x-ms-dynamics-entity-name</c>, else the context's <c>PrimaryEntityName</c>.
/// </summary>
public static class DynamicsWebhook
{
    public const string KeyHeader = "x-castiel-webhook-key";
    public const string EntityHeader = "x-ms-dynamics-entity-name";

    public static InboundVerdict Verify(InboundRequest request, string key)
    {
        var given = request.Header(KeyHeader) ?? (request.Query.TryGetValue("code", out var code) && code.Count == 1 ? code[0] : null);
        if (given is null || !ConstantTime.SecretEquals(given, key))
        {
            return InboundVerdict.Unverified($"The shared key ({KeyHeader} header or code query parameter) is missing or wrong");
        }
        JsonObject? context;
        try
        {
            context = JsonNode.Parse(request.Body) as JsonObject;
        }
        catch (JsonException)
        {
            context = null;
        }
        if (context is null)
        {
            return InboundVerdict.Malformed("Not a Dataverse execution context (a JSON object)");
        }
        var entity = request.Header(EntityHeader)
            ?? (context["PrimaryEntityName"] is JsonValue v && v.TryGetValue<string>(out var name) && name.Length > 0 ? name : null);
        return InboundVerdict.Accept($"dynamics:{Convert.ToHexStringLower(SHA256.HashData(request.Body))}", entity);
    }
}
