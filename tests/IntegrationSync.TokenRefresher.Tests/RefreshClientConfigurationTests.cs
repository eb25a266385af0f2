using IntegrationSync.TestSupport;
using IntegrationSync.TokenRefresher.Refresh;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationSync.TokenRefresher.Tests;

/// <summary>The refresh client's resilience pipeline is built on first use, so a bad combination of keys would only show with the first request.</summary>
public sealed class RefreshClientConfigurationTests
{
    [Theory]
    [InlineData]
    [InlineData("--services:integration_manager:timeout_seconds=300", "--token_refresh:transient_retries=10", "--token_refresh:retry_max_delay_ms=300000")]
    [InlineData("--services:integration_manager:timeout_seconds=1", "--token_refresh:transient_retries=1", "--token_refresh:retry_base_delay_ms=1")]
    public async Task The_refresh_client_pipeline_is_valid_for_default_and_extreme_keys(params string[] args)
    {
        await using var app = Program.Build([
            "--rabbitmq:url=amqp://guest:guest@127.0.0.1:1/",
            "--cosmos_db:endpoint=http://127.0.0.1:1/",
            $"--cosmos_db:key={TestInfrastructure.CosmosKey}",
            $"--jwt:secret={TestInfrastructure.JwtSecret}",
            .. args,
        ]);
        using var scope = app.Services.CreateScope();

        var client = scope.ServiceProvider.GetRequiredService<ConnectionRefreshClient>();

        // Resolving builds the pipeline, whose validator refuses e.g. a breaker sampling less than two attempts.
        Assert.NotNull(client);
    }
}
