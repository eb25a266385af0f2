using System.Text.Json.Nodes;

namespace IntegrationSync.Deploy.Tests.Chart;

/// <summary>The chart's manifest templates, blanked and parsed: what can be checked without Helm.</summary>
public static class ChartTemplates
{
    public static IReadOnlyList<string> Files() =>
        Directory.GetFiles(Path.Combine(Repo.Chart, "templates"), "*.yaml").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList()!;

    public static string Text(string file) => File.ReadAllText(Path.Combine(Repo.Chart, "templates", file));

    public static IReadOnlyList<JsonObject> Documents(string file) =>
        YamlJson.Documents(TemplateBlanker.Blank(Text(file))).OfType<JsonObject>().ToList();

    public static IReadOnlyList<JsonObject> All() => Files().SelectMany(Documents).ToList();

    public static JsonObject Deployment() => Assert.Single(Documents("deployments.yaml"), d => (string?)d["kind"] == "Deployment");

    public static JsonObject Container() => Assert.Single(Deployment()["spec"]!["template"]!["spec"]!["containers"]!.AsArray())!.AsObject();

    /// <summary>The variables the Deployment template sets itself (besides the values' <c>env</c> maps).</summary>
    public static IReadOnlySet<string> EnvironmentNames() =>
        Container()["env"]!.AsArray().Select(e => (string?)e!["name"]).OfType<string>().ToHashSet(StringComparer.Ordinal);

    public static IReadOnlySet<string> SecretEnvironmentNames() =>
        Container()["env"]!.AsArray().Where(e => e!["valueFrom"]?["secretKeyRef"] is not null)
            .Select(e => (string)e!["name"]!).ToHashSet(StringComparer.Ordinal);
}
