using IntegrationSync.Shared.Configuration;
using IntegrationSync.Shared.Configuration.Options;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace IntegrationSync.Shared.Tests.Configuration;

public sealed class ConfigurationLayoutTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("config-test").FullName;

    public ConfigurationLayoutTests()
    {
        File.WriteAllText(Path.Combine(_dir, "default.yaml"), """
            sync_limits:
              max_records_per_sync: 1000
              min_interval_minutes: 5
              max_concurrent_syncs_per_tenant: 3
            rabbitmq:
              exchange: coder_events
              retry_delays_ms: [1000, 2000]
            """);
    }

    private IConfiguration Build(Dictionary<string, string?> environment) =>
        new ConfigurationBuilder().AddIntegrationSyncConfiguration(_dir, name => environment.GetValueOrDefault(name)).Build();

    [Fact]
    public void Default_yaml_is_the_base()
    {
        var config = Build([]);

        Assert.Equal("1000", config["sync_limits:max_records_per_sync"]);
        Assert.Equal("2000", config["rabbitmq:retry_delays_ms:1"]);
    }

    [Fact]
    public void Local_yaml_overrides_default_and_the_environment_overrides_both()
    {
        File.WriteAllText(Path.Combine(_dir, "local.yaml"), "sync_limits:\n  max_records_per_sync: 50\n  min_interval_minutes: 0\n");

        var config = Build(new() { ["SYNC_MAX_RECORDS"] = "7" });

        Assert.Equal("7", config["sync_limits:max_records_per_sync"]);
        Assert.Equal("0", config["sync_limits:min_interval_minutes"]);
        Assert.Equal("3", config["sync_limits:max_concurrent_syncs_per_tenant"]);
    }

    [Fact]
    public void An_empty_variable_falls_back_to_the_file_value()
    {
        var config = Build(new() { ["SYNC_MAX_CONCURRENT_PER_TENANT"] = "" });

        Assert.Equal("3", config["sync_limits:max_concurrent_syncs_per_tenant"]);
    }

    [Fact]
    public void Every_seed_variable_maps_to_its_key()
    {
        var config = Build(new()
        {
            ["SYNC_MAX_RECORDS"] = "11",
            ["SYNC_MIN_INTERVAL_MINUTES"] = "12",
            ["SYNC_MAX_CONCURRENT_PER_TENANT"] = "4",
            ["TOKEN_REFRESH_ENABLED"] = "false",
            ["TOKEN_REFRESH_INTERVAL_MS"] = "1000",
            ["TOKEN_REFRESH_EXPIRATION_THRESHOLD_MS"] = "2000",
            ["RABBITMQ_URL"] = "amqp://broker",
            ["COSMOS_DB_ENDPOINT"] = "http://cosmos",
            ["COSMOS_DB_KEY"] = "key",
            ["JWT_SECRET"] = "secret",
        });

        Assert.Equal(
            ["11", "12", "4", "false", "1000", "2000", "amqp://broker", "http://cosmos", "key", "secret"],
            new[]
            {
                "sync_limits:max_records_per_sync", "sync_limits:min_interval_minutes", "sync_limits:max_concurrent_syncs_per_tenant",
                "token_refresh:enabled", "token_refresh:interval_ms", "token_refresh:expiration_threshold_ms",
                "rabbitmq:url", "cosmos_db:endpoint", "cosmos_db:key", "jwt:secret",
            }.Select(key => config[key]));
    }

    [Fact]
    public void An_unresolved_placeholder_is_refused_with_its_key()
    {
        File.WriteAllText(Path.Combine(_dir, "local.yaml"), "rabbitmq:\n  url: ${RABBITMQ_URL}\n");

        var error = Assert.Throws<InvalidOperationException>(() => PlaceholderGuard.ThrowIfUnresolved(Build([])));

        Assert.Contains("rabbitmq.url", error.Message);
    }

    [Theory]
    [InlineData("11", "sync_limits.max_concurrent_syncs_per_tenant")]
    [InlineData("0", "sync_limits.max_concurrent_syncs_per_tenant")]
    public async Task Start_up_fails_naming_an_invalid_key(string value, string key)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => StartHostAsync(new() { ["SYNC_MAX_CONCURRENT_PER_TENANT"] = value }));

        Assert.Contains(key, error.Message);
    }

    [Fact]
    public async Task Start_up_fails_naming_a_value_of_the_wrong_type()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => StartHostAsync(new() { ["SYNC_MAX_RECORDS"] = "lots" }));

        Assert.Contains("sync_limits:max_records_per_sync", error.Message);
    }

    [Fact]
    public async Task Start_up_fails_naming_a_missing_required_key()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddIntegrationSyncConfiguration(_dir, _ => null);
        builder.Services.AddValidatedOptions<JwtOptions>(JwtOptions.Section);
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("jwt.secret", error.Message);
    }

    private async Task StartHostAsync(Dictionary<string, string?> environment)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddIntegrationSyncConfiguration(_dir, name => environment.GetValueOrDefault(name));
        builder.Services.AddValidatedOptions<SyncLimitsOptions>(SyncLimitsOptions.Section);
        using var host = builder.Build();
        await host.StartAsync();
        await host.StopAsync();
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
