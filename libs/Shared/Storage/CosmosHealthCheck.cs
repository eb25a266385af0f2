using IntegrationSync.Shared.Configuration.Options;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace IntegrationSync.Shared.Storage;

public sealed class CosmosHealthCheck(CosmosClient client, IOptions<CosmosDbOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(3));
            await client.GetDatabase(options.Value.DatabaseId).ReadAsync(cancellationToken: timeout.Token);
            return HealthCheckResult.Healthy("reachable");
        }
        catch (Exception e) when (e is CosmosException or HttpRequestException or OperationCanceledException)
        {
            // The description is shown to authenticated callers: the exception's type and status, never its text.
            var status = e is CosmosException cosmos ? $" {(int)cosmos.StatusCode}" : "";
            return HealthCheckResult.Unhealthy($"Cosmos DB unreachable ({e.GetType().Name}{status})", e);
        }
    }
}
