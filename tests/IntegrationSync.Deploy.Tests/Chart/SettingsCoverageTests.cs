using System.Text.Json.Nodes;
using IntegrationSync.Shared.Configuration;

namespace IntegrationSync.Deploy.Tests.Chart;

public sealed class SettingsCoverageTests
{
    [Theory]
    [InlineData("config/default.yaml", "deploy/helm/integration-sync/files/default.yaml")]
    [InlineData("deploy/prometheus/alerts.yaml", "deploy/helm/integration-sync/files/alerts.yaml")]
    public void The_chart_ships_an_exact_copy_of(string source, string copy)
    {
        Assert.True(Repo.Read(source) == Repo.Read(copy),
            $"{copy} differs from {source} (Helm reads only files inside the chart). Run: cp {source} {copy}");
    }

    [Fact]
    public void Every_config_key_is_settable_through_the_chart()
    {
        var secretEnvironment = ChartTemplates.SecretEnvironmentNames();
        var unsettable = new List<string>();
        foreach (var (path, value) in ServiceSettings.ConfigKeys())
        {
            var key = string.Join('.', path);
            var overrides = Nest(path, value?.DeepClone() ?? JsonValue.Create("set-by-test"));
            var viaValues = ChartValues.Errors(YamlJson.Merge(ChartValues.Defaults(), new JsonObject { ["config"] = overrides })!).Count == 0;
            var viaSecret = SeedEnvironmentVariables.Map.Any(m => m.Value == string.Join(':', path) && secretEnvironment.Contains(m.Key));
            if (!viaValues && !viaSecret)
            {
                unsettable.Add(key);
            }
        }

        Assert.True(ServiceSettings.ConfigKeys().Count > 100);
        Assert.True(unsettable.Count == 0,
            "Not settable through the chart (add them to config in values.schema.json, or read them from the Secret): " + string.Join(", ", unsettable));
    }

    [Fact]
    public void The_secret_config_keys_come_from_the_secret_only()
    {
        var secretEnvironment = ChartTemplates.SecretEnvironmentNames();
        var secretKeys = SeedEnvironmentVariables.Map.Where(m => secretEnvironment.Contains(m.Key)).Select(m => m.Value).ToList();

        Assert.Equal(["cosmos_db:endpoint", "cosmos_db:key", "jwt:secret", "rabbitmq:url"], secretKeys.Order());
        Assert.All(secretKeys.Where(k => k != "cosmos_db:endpoint"), key =>
            Assert.NotEmpty(ChartValues.Errors(YamlJson.Merge(ChartValues.Defaults(),
                new JsonObject { ["config"] = Nest(key.Split(':'), JsonValue.Create("a-secret-value-that-belongs-in-the-secret")) })!)));
    }

    [Fact]
    public void Every_environment_variable_the_services_read_is_settable_through_the_chart()
    {
        var setByTemplate = ChartTemplates.EnvironmentNames();
        var names = ServiceSettings.EnvironmentNames();
        var unsettable = names
            .Where(name => !setByTemplate.Contains(name))
            .Where(name => ChartValues.Errors(ChartValues.With($"env:\n  {name}: \"1\"\n")).Count > 0
                || ChartValues.Errors(ChartValues.With($"services:\n  sync-runner:\n    env:\n      {name}: \"1\"\n")).Count > 0)
            .ToList();

        Assert.Contains("RABBITMQ_URL", names);
        Assert.Contains(ConfigurationLayout.ConfigDirectoryVariable, names);
        Assert.Contains("OTEL_EXPORTER_OTLP_ENDPOINT", names);
        Assert.True(unsettable.Count == 0, "Not settable through the chart: " + string.Join(", ", unsettable));
        Assert.Contains("range $key, $value := merge (dict) $svc.env $.Values.env", ChartTemplates.Text("deployments.yaml"));
    }

    [Fact]
    public void Variables_the_chart_sets_itself_are_refused_in_env()
    {
        var accepted = ChartTemplates.EnvironmentNames()
            .Where(name => ChartValues.Errors(ChartValues.With($"env:\n  {name}: \"1\"\n")).Count == 0)
            .ToList();

        Assert.True(accepted.Count == 0, "Would be set twice: " + string.Join(", ", accepted));
    }

    private static JsonObject Nest(IEnumerable<string> path, JsonNode leaf)
    {
        var segments = path.ToArray();
        JsonNode node = leaf;
        for (var i = segments.Length - 1; i >= 1; i--)
        {
            node = new JsonObject { [segments[i]] = node };
        }
        return new JsonObject { [segments[0]] = node };
    }
}
