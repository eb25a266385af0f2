using System.Text.Json.Nodes;

namespace IntegrationSync.SyncRunner.Adapters.Sample;

/// <summary>
/// Integration <c>settings</c> of a <c>sample</c> integration; <c>filters</c> of the trigger may override them. The page
/// size stays within <c>adapter_http.max_page_size</c> like every adapter's.
/// </summary>
public sealed record SampleSettings(int Count, int PageSize, int Seed, int PageDelayMs)
{
    public static SampleSettings From(JsonObject settings, JsonObject? filters, int maxPageSize) => new(
        Count: Read(filters, settings, "count", 25, 0, int.MaxValue),
        PageSize: Read(filters, settings, "pageSize", 100, 1, maxPageSize),
        Seed: Read(filters, settings, "seed", 42, int.MinValue, int.MaxValue),
        PageDelayMs: Read(filters, settings, "pageDelayMs", 0, 0, 60_000));

    private static int Read(JsonObject? filters, JsonObject settings, string name, int fallback, int min, int max)
    {
        var node = filters?[name] ?? settings[name];
        return node is JsonValue value && value.TryGetValue<int>(out var number) ? Math.Clamp(number, min, max) : fallback;
    }
}
