using IntegrationSync.Shared.Contracts;
using IntegrationSync.Shared.Storage;
using Microsoft.Azure.Cosmos;

namespace IntegrationSync.Shared.Webhooks;

public sealed class WebhookDeliveryRepository(CosmosContainers containers) : CosmosRepository<WebhookDeliveryDocument>(containers.WebhookDeliveries, containers.Kind(WebhookDeliveryDocument.DocType))
{
    /// <summary>
    /// Up to <paramref name="limit"/> pending deliveries due at <paramref name="now"/> across tenants, leaving out the
    /// registrations in <paramref name="skip"/> (endpoints whose in-memory lane is full), so a backlog for one endpoint
    /// never fills the answer and hides another tenant's due retries.
    /// </summary>
    public async Task<List<WebhookDeliveryDocument>> DueAsync(DateTimeOffset now, int limit, IReadOnlyCollection<string> skip, CancellationToken cancellationToken)
    {
        var query = new QueryDefinition(
                $"SELECT TOP @limit * FROM c WHERE {OfKind} AND c.status = @pending AND c.nextAttemptAt <= @now"
                + (skip.Count > 0 ? " AND NOT ARRAY_CONTAINS(@skip, c.webhookId)" : ""))
            .WithParameter("@limit", limit)
            .WithParameter("@pending", WebhookDeliveryDocument.Pending)
            .WithParameter("@now", IsoTime.Format(now));
        if (skip.Count > 0)
        {
            query = query.WithParameter("@skip", skip.ToArray());
        }
        var results = new List<WebhookDeliveryDocument>();
        using var iterator = Container.GetItemQueryIterator<WebhookDeliveryDocument>(query, requestOptions: new QueryRequestOptions { MaxItemCount = limit });
        while (iterator.HasMoreResults && results.Count < limit)
        {
            results.AddRange(await iterator.ReadNextAsync(cancellationToken).WaitAsync(cancellationToken));
        }
        return results;
    }
}
