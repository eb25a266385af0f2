using System.Text.Json.Nodes;
using IntegrationSync.Shared.Conflicts;
using IntegrationSync.Shared.Peers;

namespace IntegrationSync.Shared.SyncState;

/// <summary>
/// Whether and how an integration takes Castiel's changes back, from its <c>syncConfig</c> (integration-manager's
/// shape): writes are allowed when <c>syncDirection</c> is <c>outbound</c> or <c>bidirectional</c>, or
/// <c>writeBack.enabled</c> is true, and never when <c>writeBack.enabled</c> is false; <c>writeBack.allowedShardTypes</c>
/// (when not empty) limits them to those shard types; deletes only with <c>writeBack.allowDeletes</c>. The strategy is
/// <c>conflictResolution</c> (or <c>writeBack.conflictResolution</c>), else the fleet's default.
/// </summary>
public sealed record WriteBack(bool AllowsWrites, bool AllowsDeletes, string Strategy, IReadOnlyList<string> AllowedShardTypes)
{
    public static WriteBack Of(IntegrationDescriptor integration, string defaultStrategy)
    {
        var config = integration.SyncConfig;
        var writeBack = config["writeBack"] as JsonObject;
        var direction = Text(config["syncDirection"])?.ToLowerInvariant();
        var enabled = Flag(writeBack?["enabled"]);
        var allows = enabled ?? direction is "outbound" or "bidirectional";
        var strategy = ConflictResolutions.Normalize(Text(config["conflictResolution"]) ?? Text(writeBack?["conflictResolution"]))
            ?? ConflictResolutions.Normalize(defaultStrategy) ?? ConflictResolutions.NewestWins;
        var shardTypes = (writeBack?["allowedShardTypes"] as JsonArray ?? []).Select(Text).OfType<string>().ToList();
        return new WriteBack(allows, allows && Flag(writeBack?["allowDeletes"]) == true, strategy, shardTypes);
    }

    public bool AllowsShardType(string? shardTypeId, string? shardTypeName) =>
        AllowedShardTypes.Count == 0 || AllowedShardTypes.Any(t => t == shardTypeId || t == shardTypeName);

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) && text.Length > 0 ? text : null;

    private static bool? Flag(JsonNode? node) => node is JsonValue value && value.TryGetValue<bool>(out var flag) ? flag : null;
}
