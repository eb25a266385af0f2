using System.Text.Json.Nodes;

namespace IntegrationSync.Shared.Peers;

/// <summary>What the fleet reads of an integration-manager integration; tolerant of missing fields.</summary>
public sealed record IntegrationDescriptor(
    string Id,
    string? ProviderName,
    string? Name,
    string? Status,
    string? CredentialSecretName,
    JsonObject Settings,
    JsonObject SyncConfig)
{
    public static IntegrationDescriptor? FromJson(JsonNode? body, string requestedId)
    {
        // integration-manager's bare object response schema serialises the integration to {} (reference §6.2).
        if (PeerJson.Unwrap(body) is not { } node)
        {
            return null;
        }
        return new IntegrationDescriptor(
            Id: Text(node, "id") ?? requestedId,
            ProviderName: Text(node, "providerName"),
            Name: Text(node, "name"),
            Status: Text(node, "status"),
            CredentialSecretName: Text(node, "credentialSecretName"),
            Settings: node["settings"] as JsonObject ?? [],
            SyncConfig: node["syncConfig"] as JsonObject ?? []);
    }

    private static string? Text(JsonObject node, string name) =>
        node[name] is JsonValue value && value.TryGetValue<string>(out var text) && text.Length > 0 ? text : null;
}
