namespace IntegrationSync.Deploy.Tests.Chart;

public sealed class ValuesSchemaTests
{
    private static IReadOnlyList<string> Examples() =>
        Directory.GetFiles(Repo.File("deploy", "helm", "examples"), "*.yaml").Select(f => Path.GetFileName(f)).Order().ToList();

    public static TheoryData<string> ExampleFiles() => [.. Examples()];

    [Fact]
    public void The_chart_defaults_are_valid()
    {
        Assert.Empty(ChartValues.Errors(ChartValues.Defaults()));
    }

    [Theory]
    [MemberData(nameof(ExampleFiles))]
    public void Every_example_override_file_is_valid(string file)
    {
        var values = ChartValues.With(Repo.Read("deploy", "helm", "examples", file));

        Assert.Empty(ChartValues.Errors(values));
    }

    [Fact]
    public void There_are_example_files_for_production_and_keda()
    {
        Assert.Contains("production.yaml", Examples());
        Assert.Contains("keda.yaml", Examples());
    }

    [Theory]
    [InlineData("config:\n  sync_limits:\n    max_record_per_sync: 5000\n", "max_record_per_sync")]
    [InlineData("config:\n  sync_limits:\n    max_records_per_sync: lots\n", "/config/sync_limits/max_records_per_sync")]
    [InlineData("config:\n  cosmos_db:\n    connection_mode: tcp\n", "/config/cosmos_db/connection_mode")]
    [InlineData("services:\n  sync-apii:\n    replicas: 2\n", "sync-apii")]
    [InlineData("services:\n  sync-runner:\n    replica: 3\n", "replica")]
    [InlineData("services:\n  sync-runner:\n    keda:\n      enabled: true\n      minReplicas: 0\n", "/services/sync-runner/keda/minReplicas")]
    [InlineData("services:\n  sync-api:\n    terminationGracePeriodSeconds: 5\n", "/services/sync-api/terminationGracePeriodSeconds")]
    [InlineData("services:\n  sync-api:\n    pdb: { minAvailable: 1, maxUnavailable: 1 }\n", "/services/sync-api/pdb")]
    [InlineData("services:\n  token-refresher:\n    keda: { enabled: true }\n", "keda")]
    [InlineData("image:\n  pullPolicy: Sometimes\n", "/image/pullPolicy")]
    [InlineData("metrics:\n  podMonitor:\n    interval: often\n", "/metrics/podMonitor/interval")]
    [InlineData("imagePullSecret: [{ name: regcred }]\n", "imagePullSecret")]
    public void A_mistyped_or_out_of_range_value_is_rejected_where_it_is(string overrides, string named)
    {
        var errors = ChartValues.Errors(ChartValues.With(overrides));

        Assert.NotEmpty(errors);
        Assert.Contains(errors, e => e.Contains(named, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("config:\n  jwt:\n    secret: a-secret-in-values-a-secret-in-values\n")]
    [InlineData("config:\n  cosmos_db:\n    key: c2VjcmV0\n")]
    [InlineData("config:\n  rabbitmq:\n    url: amqp://user:password@rabbitmq:5672/\n")]
    [InlineData("env:\n  JWT_SECRET: a-secret-in-values-a-secret-in-values\n")]
    [InlineData("env:\n  RABBITMQ__URL: amqp://user:password@rabbitmq:5672/\n")]
    [InlineData("services:\n  sync-api:\n    env:\n      COSMOS_DB_KEY: c2VjcmV0\n")]
    public void Secrets_are_refused_in_values(string overrides)
    {
        Assert.NotEmpty(ChartValues.Errors(ChartValues.With(overrides)));
    }
}
