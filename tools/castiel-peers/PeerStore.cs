using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace IntegrationSync.CastielPeers;

/// <summary>In-memory state of the stand-ins, seeded from <c>seed.json</c> and extended through <c>/_peers</c>.</summary>
public sealed class PeerStore
{
    public ConcurrentDictionary<string, JsonObject> Integrations { get; } = new(StringComparer.OrdinalIgnoreCase);
    public ConcurrentDictionary<string, string> Secrets { get; } = new();
    public ConcurrentDictionary<string, JsonObject> Shards { get; } = new(StringComparer.OrdinalIgnoreCase);
    public ConcurrentDictionary<string, int> RefreshCalls { get; } = new();

    /// <summary>By connection: the credential value its next successful refresh stores under the integration's <c>credentialSecretName</c>.</summary>
    public ConcurrentDictionary<string, string> RefreshedSecrets { get; } = new();

    public static PeerStore Load(string? seedFile)
    {
        var store = new PeerStore();
        if (seedFile is null || !File.Exists(seedFile))
        {
            return store;
        }
        var seed = JsonNode.Parse(File.ReadAllText(seedFile))!.AsObject();
        foreach (var integration in seed["integrations"]?.AsArray() ?? [])
        {
            var item = integration!.AsObject();
            store.Integrations[item["id"]!.GetValue<string>()] = item;
        }
        foreach (var (name, value) in seed["secrets"]?.AsObject() ?? [])
        {
            store.Secrets[name] = value!.GetValue<string>();
        }
        return store;
    }
}
