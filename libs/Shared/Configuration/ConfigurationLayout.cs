using Microsoft.Extensions.Configuration;

namespace IntegrationSync.Shared.Configuration;

/// <summary>
/// default.yaml &lt; local.yaml &lt; environment (ASP.NET style <c>SECTION__KEY</c> and the seed's own names).
/// </summary>
public static class ConfigurationLayout
{
    public const string ConfigDirectoryVariable = "INTEGRATION_SYNC_CONFIG_DIR";

    public static IConfigurationBuilder AddIntegrationSyncConfiguration(
        this IConfigurationBuilder builder, string? configDirectory = null, Func<string, string?>? readEnvironment = null)
    {
        var directory = configDirectory ?? FindConfigDirectory();
        return builder
            .Add(new YamlConfigurationSource(Path.Combine(directory, "default.yaml"), optional: false))
            .Add(new YamlConfigurationSource(Path.Combine(directory, "local.yaml"), optional: true))
            .AddEnvironmentVariables()
            .AddSeedEnvironmentVariables(readEnvironment);
    }

    /// <summary>The variable, else the nearest <c>config/default.yaml</c> above the working directory, else the one shipped beside the binary.</summary>
    public static string FindConfigDirectory()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable(ConfigDirectoryVariable);
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            return fromEnvironment;
        }

        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "config");
            if (File.Exists(Path.Combine(candidate, "default.yaml")))
            {
                return candidate;
            }
        }
        return Path.Combine(AppContext.BaseDirectory, "config");
    }
}
