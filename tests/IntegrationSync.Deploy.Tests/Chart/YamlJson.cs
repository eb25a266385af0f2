using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace IntegrationSync.Deploy.Tests.Chart;

/// <summary>YAML documents as JSON trees, with plain scalars typed the way Helm's YAML parser types them.</summary>
public static class YamlJson
{
    public static JsonNode? Parse(string yaml) => Documents(yaml).SingleOrDefault();

    public static IReadOnlyList<JsonNode?> Documents(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return stream.Documents.Select(d => Convert(d.RootNode)).ToList();
    }

    /// <summary><paramref name="overrides"/> merged into a copy of <paramref name="values"/>, maps by key, everything else replaced (helm -f).</summary>
    public static JsonNode? Merge(JsonNode? values, JsonNode? overrides)
    {
        if (values is JsonObject target && overrides is JsonObject source)
        {
            var merged = target.DeepClone().AsObject();
            foreach (var (key, value) in source)
            {
                merged[key] = Merge(merged[key], value);
            }
            return merged;
        }
        return overrides?.DeepClone();
    }

    private static JsonNode? Convert(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(c =>
            KeyValuePair.Create(((YamlScalarNode)c.Key).Value!, Convert(c.Value)))),
        YamlSequenceNode list => new JsonArray([.. list.Children.Select(Convert)]),
        YamlScalarNode scalar => Scalar(scalar),
        _ => throw new InvalidOperationException($"Unsupported YAML node {node.NodeType} at {node.Start}"),
    };

    private static JsonNode? Scalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        if (scalar.Style is not ScalarStyle.Plain)
        {
            return JsonValue.Create(text);
        }
        if (text is "" or "~" or "null" or "Null" or "NULL")
        {
            return null;
        }
        if (text is "true" or "True" or "TRUE" or "false" or "False" or "FALSE")
        {
            return JsonValue.Create(bool.Parse(text));
        }
        // Numbers as JSON text, so that they read back as int, long or double alike.
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            return JsonNode.Parse(integer.ToString(CultureInfo.InvariantCulture));
        }
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && char.IsDigit(text[^1]))
        {
            return JsonNode.Parse(number.ToString("R", CultureInfo.InvariantCulture));
        }
        return JsonValue.Create(text);
    }
}
