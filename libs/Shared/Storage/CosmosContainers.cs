using IntegrationSync.Shared.Configuration.Options;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Options;

namespace IntegrationSync.Shared.Storage;

/// <summary>The containers of the shared <c>castiel</c> database, by role; names come from configuration.</summary>
public sealed class CosmosContainers(CosmosClient client, IOptions<CosmosDbOptions> options)
{
    private readonly Database _database = client.GetDatabase(options.Value.DatabaseId);
    private readonly CosmosContainerNames _names = options.Value.Containers;

    public Container SyncTasks => _database.GetContainer(_names.SyncTasks);
    public Container Executions => _database.GetContainer(_names.Executions);
    public Container Conflicts => _database.GetContainer(_names.Conflicts);
    public Container Webhooks => _database.GetContainer(_names.Webhooks);
    public Container SyncState => _database.GetContainer(_names.SyncState);
    public Container Leases => _database.GetContainer(_names.Leases);
    public Container WebhookDeliveries => _database.GetContainer(_names.WebhookDeliveries);
    public Container SyncRecords => _database.GetContainer(_names.SyncRecords);
}
