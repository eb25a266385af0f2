using Microsoft.Extensions.Configuration;
using YamlDotNet.RepresentationModel;

namespace IntegrationSync.Shared.Configuration;

/// <summary>Flattens a YAML file into configuration keys (<c>a:b:c</c>, sequences as <c>a:0</c>).</summary>
public sealed class YamlConfigurationSource(string path, bool optional) : IConfigurationSource
{
    public IConfigurationProvider Build(IConfigurationBuilder builder) => new YamlConfigurationProvider(path, optional);
}

internal sealed class YamlConfigurationProvider(string path, bool optional) : ConfigurationProvider
{
    public override void Load()
    {
        if (!File.Exists(path))
        {
            if (optional)
            {
                return;
            }
            throw new FileNotFoundException($"Configuration file '{path}' was not found.", path);
        }

        var stream = new YamlStream();
        using (var reader = new StreamReader(path))
        {
            stream.Load(reader);
        }

        var data = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        if (stream.Documents.Count > 0)
        {
            Flatten(stream.Documents[0].RootNode, prefix: null, data);
        }
        Data = data;
    }

    private static void Flatten(YamlNode node, string? prefix, Dictionary<string, string?> data)
    {
        switch (node)
        {
            case YamlMappingNode mapping:
                foreach (var (key, value) in mapping.Children)
                {
                    var name = ((YamlScalarNode)key).Value!;
                    Flatten(value, prefix is null ? name : $"{prefix}:{name}", data);
                }
                break;
            case YamlSequenceNode sequence:
                for (var i = 0; i < sequence.Children.Count; i++)
                {
                    Flatten(sequence.Children[i], $"{prefix}:{i}", data);
                }
                break;
            case YamlScalarNode scalar when prefix is not null:
                data[prefix] = scalar.Value is "~" or "null" ? null : scalar.Value;
                break;
        }
    }
}
