using IntegrationSync.Shared.Configuration.Options;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IntegrationSync.Shared.Storage;

/// <summary>
/// Creates the database and every container when missing (partition key <c>/tenantId</c>, except the per-record sync
/// state: <see cref="SyncRecordsContainer"/>); waits for Cosmos up to a bound.
/// </summary>
public sealed class CosmosBootstrap(CosmosClient client, IOptions<CosmosDbOptions> options, ILogger<CosmosBootstrap> logger) : IHostedService
{
    public const string PartitionKeyPath = "/tenantId";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(options.Value.StartupTimeoutSeconds);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await EnsureCreatedAsync(cancellationToken);
                return;
            }
            catch (Exception e) when (e is CosmosException or HttpRequestException && DateTimeOffset.UtcNow < deadline)
            {
                logger.LogWarning("Cosmos DB at {Endpoint} not ready (attempt {Attempt}): {Reason}", options.Value.Endpoint, attempt, e.Message);
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(250 * Math.Pow(2, attempt), 5_000)), cancellationToken);
            }
        }
    }

    private async Task EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        Database database = await client.CreateDatabaseIfNotExistsAsync(options.Value.DatabaseId, cancellationToken: cancellationToken);
        foreach (var name in options.Value.Containers.All())
        {
            await database.CreateContainerIfNotExistsAsync(new ContainerProperties(name, PartitionKeyPath), cancellationToken: cancellationToken);
        }
        await database.CreateContainerIfNotExistsAsync(SyncRecordsContainer.Properties(options.Value.Containers.SyncRecords), cancellationToken: cancellationToken);
        logger.LogInformation("Cosmos DB database {Database} and containers ready", options.Value.DatabaseId);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
