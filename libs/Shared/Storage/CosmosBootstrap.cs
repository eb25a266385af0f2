using IntegrationSync.Shared.Configuration.Options;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IntegrationSync.Shared.Storage;

/// <summary>
/// Creates the database and the layout's containers (partition key <c>/tenantId</c>; the per-record sync state apart:
/// <see cref="SyncRecordsContainer"/>) when missing, or, without leave to (<c>create_containers: false</c>), checks that
/// they exist; waits for Cosmos up to a bound.
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
        var settings = options.Value;
        if (!settings.CreateContainers)
        {
            await EnsureExistAsync(cancellationToken);
            return;
        }
        Database database = await client.CreateDatabaseIfNotExistsAsync(settings.DatabaseId, cancellationToken: cancellationToken);
        foreach (var name in settings.ContainersInUse())
        {
            // TTL on, but only for items that set their own ttl: the webhook log, replay records and a deleted integration's cursors.
            var expiring = settings.SingleContainer || name == settings.Containers.WebhookDeliveries || name == settings.Containers.SyncState
                ? -1
                : (int?)null;
            await database.CreateContainerIfNotExistsAsync(new ContainerProperties(name, PartitionKeyPath) { DefaultTimeToLive = expiring },
                cancellationToken: cancellationToken);
        }
        await database.CreateContainerIfNotExistsAsync(SyncRecordsContainer.Properties(settings.Containers.SyncRecords), cancellationToken: cancellationToken);
        logger.LogInformation("Cosmos DB database {Database} and containers ready ({Layout} layout)", settings.DatabaseId, settings.Layout);
    }

    /// <summary>An identity that may not create containers: each one the layout uses must exist, or start-up names the missing.</summary>
    private async Task EnsureExistAsync(CancellationToken cancellationToken)
    {
        var database = client.GetDatabase(options.Value.DatabaseId);
        var missing = new List<string>();
        foreach (var name in options.Value.ContainersInUse().Append(options.Value.Containers.SyncRecords))
        {
            using var response = await database.GetContainer(name).ReadContainerStreamAsync(cancellationToken: cancellationToken);
            if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
            {
                missing.Add(name);
            }
        }
        if (missing.Count > 0)
        {
            throw new InvalidOperationException($"cosmos_db.create_containers is false and database {options.Value.DatabaseId} lacks the containers "
                + $"{string.Join(", ", missing)} (partition key {PartitionKeyPath}; {options.Value.Containers.SyncRecords}: "
                + $"{SyncRecordsContainer.PartitionKeyPath}): create them, or allow the fleet to.");
        }
        logger.LogInformation("Cosmos DB containers of the {Layout} layout found", options.Value.Layout);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
