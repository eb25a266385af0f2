using System.Globalization;
using System.Text.Json.Nodes;

namespace IntegrationSync.SyncRunner.Adapters.Rest;

/// <summary><c>a.b.0.c</c> paths into a JSON document; an empty path is the document itself.</summary>
public static class DotPath
{
    public static JsonNode? Select(JsonNode? node, string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return node;
        }
        foreach (var segment in path.Split('.'))
        {
            node = node switch
            {
                JsonObject obj => obj[segment],
                JsonArray array when int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < array.Count => array[index],
                _ => null,
            };
            if (node is null)
            {
                return null;
            }
        }
        return node;
    }
}
