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

    /// <summary>Disables every active registration of the integration, saying why; the count disabled.</summary>
    public async Task<int> DisableForIntegrationAsync(string tenantId, string integrationId, string reason, string now, CancellationToken cancellationToken)
    {
        var query = new QueryDefinition($"SELECT * FROM c WHERE {OfKind} AND c.tenantId = @tenantId AND c.integrationId = @integrationId")
            .WithParameter("@tenantId", tenantId)
            .WithParameter("@integrationId", integrationId);
        var disabled = 0;
        foreach (var webhook in (await QueryAsync(tenantId, query, maxItems: null, cancellationToken)).Where(w => w.EffectiveActive))
        {
            var changed = await UpdateAsync(tenantId, webhook.Id, w => w.EffectiveActive
                ? w with { Active = false, DisabledReason = reason, DisabledAt = now, UpdatedAt = now }
                : null, cancellationToken);
            disabled += changed is null ? 0 : 1;
        }
        return disabled;
    }

    /// <summary>The tenant's active registrations for the integration that list <paramref name="eventType"/> (either document shape).</summary>
    public async Task<List<WebhookDocument>> SubscribedAsync(string tenantId, string integrationId, string eventType, CancellationToken cancellationToken)
    {
        var query = new QueryDefinition(
                $"SELECT * FROM c WHERE {OfKind} AND c.tenantId = @tenantId AND c.integrationId = @integrationId AND ARRAY_CONTAINS(c.events, @eventType)")
            .WithParameter("@tenantId", tenantId)
            .WithParameter("@integrationId", integrationId)
            .WithParameter("@eventType", eventType);
        var found = await QueryAsync(tenantId, query, maxItems: null, cancellationToken);
        return found.Where(w => w.EffectiveActive && !string.IsNullOrEmpty(w.EffectiveUrl)).ToList();
    }
}
