using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using IntegrationSync.Shared.Configuration;

namespace IntegrationSync.Deploy.Tests.Chart;

/// <summary>What the services read, computed from the code and config/default.yaml, so that it cannot drift from them.</summary>
public static partial class ServiceSettings
{
    [GeneratedRegex(@"GetEnvironmentVariable\((?<arg>[^()]*)\)")]
    private static partial Regex EnvironmentRead();

    [GeneratedRegex(@"Configuration\[""(?<name>[A-Z][A-Z0-9_]*)""\]")]
    private static partial Regex UpperCaseConfigurationRead();

    /// <summary>Every leaf of config/default.yaml as a path (a list counts as one leaf), with its default.</summary>
    public static IReadOnlyList<(string[] Path, JsonNode? Default)> ConfigKeys()
    {
        var keys = new List<(string[], JsonNode?)>();
        Collect(YamlJson.Parse(Repo.Read("config", "default.yaml")), [], keys);
        return keys;
    }

    /// <summary>
    /// The seed's variables (<see cref="SeedEnvironmentVariables.Map"/>) and every other name the hosts read: a string or a
    /// constant passed to <c>GetEnvironmentVariable</c>, or an upper-case key read from the configuration.
    /// </summary>
    public static IReadOnlySet<string> EnvironmentNames()
    {
        var sources = new[] { "libs", "services" }
            .SelectMany(dir => Directory.GetFiles(Repo.File(dir), "*.cs", SearchOption.AllDirectories))
            .Where(file => !file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(File.ReadAllText)
            .ToList();
        var names = new HashSet<string>(SeedEnvironmentVariables.Map.Keys, StringComparer.Ordinal);
        foreach (var source in sources)
        {
            names.UnionWith(UpperCaseConfigurationRead().Matches(source).Select(m => m.Groups["name"].Value));
            foreach (Match read in EnvironmentRead().Matches(source))
            {
                names.Add(Resolve(read.Groups["arg"].Value.Trim(), sources));
            }
        }
        return names;
    }

    private static string Resolve(string argument, IReadOnlyList<string> sources)
    {
        if (argument.StartsWith('"') && argument.EndsWith('"'))
        {
            return argument[1..^1];
        }
        var constant = new Regex($@"const\s+string\s+{Regex.Escape(argument.Split('.')[^1])}\s*=\s*""(?<value>[^""]+)""");
        return sources.Select(s => constant.Match(s)).FirstOrDefault(m => m.Success)?.Groups["value"].Value
            ?? throw new InvalidOperationException(
                $"GetEnvironmentVariable({argument}): name the variable with a string literal or a const string, so the chart tests can see it");
    }

    private static void Collect(JsonNode? node, string[] path, List<(string[], JsonNode?)> keys)
    {
        if (node is JsonObject map && map.Count > 0)
        {
            foreach (var (key, child) in map)
            {
                Collect(child, [.. path, key], keys);
            }
            return;
        }
        keys.Add((path, node));
    }
}
