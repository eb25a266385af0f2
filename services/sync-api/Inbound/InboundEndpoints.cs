using System.Net;
using IntegrationSync.Shared.Storage;
using Microsoft.Azure.Cosmos;

namespace IntegrationSync.SyncApi.Inbound;

public sealed class InboundEndpoints(CosmosContainers containers, InboundRoutes routes) : CosmosRepository<InboundEndpointDocument>(containers.SyncState, containers.Kind(InboundEndpointDocument.DocType))
{
    /// <summary>The endpoint of <paramref name="integrationId"/> and its tenant, found without knowing the tenant; null when none is set up.</summary>
    public async Task<InboundEndpointDocument?> LookupAsync(string integrationId, CancellationToken cancellationToken)
    {
        if (await routes.ReadAsync(InboundRouteDocument.Partition, integrationId, cancellationToken) is not { } route)
        {
            return null;
        }
        var endpoint = await ReadAsync(route.OwnerTenantId, InboundEndpointDocument.IdFor(integrationId), cancellationToken);
        return endpoint?.IntegrationId == integrationId ? endpoint : null;
    }

    /// <summary>Stores the endpoint once the route names this tenant (claiming it if free); false when another tenant owns it.</summary>
    public async Task<InboundEndpointDocument?> SaveAsync(InboundEndpointDocument endpoint, CancellationToken cancellationToken)
    {
        if (!await routes.ClaimAsync(endpoint.IntegrationId, endpoint.TenantId, endpoint.UpdatedAt, cancellationToken))
        {
            return null;
        }
        return await ChangeAsync(endpoint.TenantId, endpoint.Id, current => endpoint with { CreatedAt = current?.CreatedAt ?? endpoint.CreatedAt },
            cancellationToken);
    }

    public async Task<bool> DeleteAsync(string tenantId, string integrationId, CancellationToken cancellationToken)
    {
        try
        {
            await Container.DeleteItemAsync<InboundEndpointDocument>(InboundEndpointDocument.IdFor(integrationId), new PartitionKey(tenantId),
                cancellationToken: cancellationToken).WaitAsync(cancellationToken);
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
        await routes.ReleaseAsync(integrationId, tenantId, cancellationToken);
        return true;
    }
}

public sealed class InboundRoutes(CosmosContainers containers) : CosmosRepository<InboundRouteDocument>(containers.SyncState, containers.Kind(InboundRouteDocument.DocType))
{
    public async Task<bool> ClaimAsync(string integrationId, string tenantId, string now, CancellationToken cancellationToken)
    {
        var created = await TryCreateAsync(new InboundRouteDocument
        {
            Id = integrationId, TenantId = InboundRouteDocument.Partition, OwnerTenantId = tenantId, CreatedAt = now,
        }, cancellationToken);
        return created is not null || (await ReadAsync(InboundRouteDocument.Partition, integrationId, cancellationToken))?.OwnerTenantId == tenantId;
    }

    public async Task ReleaseAsync(string integrationId, string tenantId, CancellationToken cancellationToken)
    {
        if (await ReadAsync(InboundRouteDocument.Partition, integrationId, cancellationToken) is not { } route || route.OwnerTenantId != tenantId)
        {
            return;
        }
        try
        {
            await Container.DeleteItemAsync<InboundRouteDocument>(integrationId, new PartitionKey(InboundRouteDocument.Partition),
                new ItemRequestOptions { IfMatchEtag = route.ETag }, cancellationToken).WaitAsync(cancellationToken);
        }
        catch (CosmosException e) when (e.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.PreconditionFailed)
        {
            // Released already.
        }
    }
}
