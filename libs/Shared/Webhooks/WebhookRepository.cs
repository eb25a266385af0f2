using System.Net;
using IntegrationSync.Shared.Storage;
using Microsoft.Azure.Cosmos;

namespace IntegrationSync.Shared.Webhooks;

public sealed class WebhookRepository(CosmosContainers containers) : CosmosRepository<WebhookDocument>(containers.Webhooks, containers.Kind(WebhookDocument.DocType, untypedToo: true))
{
    /// <summary>False when there was nothing to delete.</summary>
    public async Task<bool> DeleteAsync(string tenantId, string id, CancellationToken cancellationToken)
    {
        try
        {
            await Container.DeleteItemAsync<WebhookDocument>(id, new PartitionKey(tenantId), cancellationToken: cancellationToken)
                .WaitAsync(cancellationToken);
            return true;
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }
}
