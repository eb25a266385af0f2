using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace IntegrationSync.Shared.SyncState;

/// <summary>
/// The built-in transforms of Castiel's field mapper (<c>FieldMapperService</c>) that the fleet can compute: forward (a
/// vendor value to what the mapper stores in the shard) for change detection, and back (a shard value to what the
/// vendor takes) only where that is exact. A transform that loses information (case, trimming, rounding, a list's
/// first item) or that the fleet does not know (a tenant's custom code) is never reversed: its fields are reported,
/// not guessed.
/// </summary>
public static class FieldTransforms
{
    public sealed record Transform(Func<JsonNode?, JsonObject?, JsonNode?> Forward, Func<JsonNode?, JsonNode?>? Back);

    private static readonly Transform Identity = new((v, _) => v?.DeepClone(), v => v?.DeepClone());

    private static readonly Dictionary<string, Transform> Known = new(StringComparer.Ordinal)
    {
        ["dateToISO"] = new((v, _) => Date(v) is { } d ? d.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture) : null, v => v?.DeepClone()),
        ["dateToUnix"] = new((v, _) => Date(v)?.ToUnixTimeSeconds(),
            v => Number(v) is { } s ? DateTimeOffset.FromUnixTimeSeconds((long)s).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) : null),
        ["stringToNumber"] = new((v, _) => Number(v) is { } n ? JsonValue.Create(n) : null,
            v => Number(v) is { } n ? n.ToString(CultureInfo.InvariantCulture) : null),
        ["booleanToString"] = new((v, _) => v is JsonValue b && b.TryGetValue<bool>(out var flag) ? (flag ? "true" : "false") : v?.DeepClone(),
            v => Text(v) switch { "true" => true, "false" => false, _ => v?.DeepClone() }),
        ["booleanToYesNo"] = new((v, _) => Flag(v) is { } flag ? (flag ? "Yes" : "No") : v?.DeepClone(),
            v => Text(v) switch { "Yes" => true, "No" => false, _ => v?.DeepClone() }),
        ["toLowerCase"] = new((v, _) => Text(v) is { } t ? t.ToLowerInvariant() : v?.DeepClone(), null),
        ["toUpperCase"] = new((v, _) => Text(v) is { } t ? t.ToUpperInvariant() : v?.DeepClone(), null),
        ["trim"] = new((v, _) => Text(v) is { } t ? t.Trim() : v?.DeepClone(), null),
        ["roundToDecimals"] = new((v, o) => Number(v) is { } n
            ? JsonValue.Create(Math.Round(n, o?["decimals"] is JsonValue d && d.TryGetValue<int>(out var places) ? places : 2, MidpointRounding.AwayFromZero))
            : null, null),
        ["arrayFirst"] = new((v, _) => v is JsonArray { Count: > 0 } a ? a[0]?.DeepClone() : null, null),
    };

    /// <summary>The transform named by a field mapping (none: identity); null when the fleet cannot compute it.</summary>
    public static Transform? Find(string? name) =>
        string.IsNullOrEmpty(name) ? Identity : Known.GetValueOrDefault(name);

    private static string? Text(JsonNode? v) => v is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static bool? Flag(JsonNode? v) => v switch
    {
        JsonValue b when b.TryGetValue<bool>(out var flag) => flag,
        JsonValue s when s.TryGetValue<string>(out var text) && text is "true" or "false" => text == "true",
        JsonValue n when n.GetValueKind() == JsonValueKind.Number => n.ToJsonString() switch { "1" => true, "0" => false, _ => null },
        _ => null,
    };

    private static double? Number(JsonNode? v) => v switch
    {
        JsonValue n when n.GetValueKind() == JsonValueKind.Number => double.Parse(n.ToJsonString(), CultureInfo.InvariantCulture),
        JsonValue s when s.TryGetValue<string>(out var text) && text.Length > 0
            && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => parsed,
        _ => null,
    };

    private static DateTimeOffset? Date(JsonNode? v) => v switch
    {
        JsonValue s when s.TryGetValue<string>(out var text) && text.Length > 0
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var d) => d,
        JsonValue n when n.GetValueKind() == JsonValueKind.Number => DateTimeOffset.FromUnixTimeMilliseconds((long)double.Parse(n.ToJsonString(), CultureInfo.InvariantCulture)),
        _ => null,
    };
}
