using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace IntegrationSync.CastielPeers.Stubs;

/// <summary>Every accepted <c>PUT /api/v1/integrations/{id}</c> body, in order, for tests to read back.</summary>
public sealed class IntegrationUpdateLog
{
    private readonly ConcurrentDictionary<string, ConcurrentQueue<JsonObject>> _updates = new(StringComparer.OrdinalIgnoreCase);

    public void Record(string integrationId, JsonObject body) =>
        _updates.GetOrAdd(integrationId, _ => new()).Enqueue((JsonObject)body.DeepClone());

    public IReadOnlyList<JsonObject> For(string integrationId) =>
        _updates.TryGetValue(integrationId, out var updates) ? [.. updates] : [];
}
