using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace IntegrationSync.Deploy.Tests.Chart;

/// <summary>The chart's values.yaml, overrides merged over it as <c>helm -f</c> does, and validation against values.schema.json.</summary>
public static class ChartValues
{
    private static readonly JsonSchema Schema = JsonSchema.FromText(File.ReadAllText(Path.Combine(Repo.Chart, "values.schema.json")));

    public static JsonNode Defaults() => YamlJson.Parse(File.ReadAllText(Path.Combine(Repo.Chart, "values.yaml")))!;

    public static JsonNode With(string overridesYaml) => YamlJson.Merge(Defaults(), YamlJson.Parse(overridesYaml))!;

    /// <summary>The schema's complaints about <paramref name="values"/>, as "location: message" lines (none when valid).</summary>
    public static IReadOnlyList<string> Errors(JsonNode values)
    {
        using var document = JsonDocument.Parse(values.ToJsonString());
        var result = Schema.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (result.IsValid)
        {
            return [];
        }
        return (result.Details ?? [])
            .Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"))
            .DefaultIfEmpty("invalid (no detail)")
            .ToList();
    }
}
