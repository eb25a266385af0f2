using System.Net;
using IntegrationSync.Shared.Contracts;
using IntegrationSync.Shared.Storage;
using Microsoft.Azure.Cosmos;

namespace IntegrationSync.SyncRunner.Intake;

public sealed class DeferredTriggers(CosmosContainers containers) : CosmosRepository<DeferredTriggerDocument>(containers.SyncState, containers.Kind(DeferredTriggerDocument.DocType))
{
    /// <summary>Keeps the trigger until <paramref name="dueAt"/>; a trigger already waiting absorbs this one.</summary>
    public async Task DeferAsync(DeferredTriggerDocument trigger, CancellationToken cancellationToken)
    {
        try
        {
            await CreateAsync(trigger, cancellationToken);
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.Conflict)
        {
            await UpdateAsync(trigger.TenantId, trigger.Id, current => current with
            {
                Coalesced = current.Coalesced + 1,
                Filters = trigger.Filters ?? current.Filters,
                DueAt = string.CompareOrdinal(trigger.DueAt, current.DueAt) > 0 ? trigger.DueAt : current.DueAt,
            }, cancellationToken);
        }
    }

    public Task<List<DeferredTriggerDocument>> ForIntegrationAsync(string tenantId, string integrationId, CancellationToken cancellationToken) =>
        QueryAsync(tenantId, new QueryDefinition($"SELECT * FROM c WHERE {OfKind} AND c.integrationId = @integrationId")
            .WithParameter("@integrationId", integrationId), maxItems: null, cancellationToken);

    public Task<List<DeferredTriggerDocument>> FindDueAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        QueryAcrossTenantsAsync(new QueryDefinition($"SELECT * FROM c WHERE {OfKind} AND c.dueAt <= @now")
            .WithParameter("@now", IsoTime.Format(now)), cancellationToken);

    /// <summary>Removes the trigger as read, so one that absorbed a newer trigger meanwhile is not lost.</summary>
    public async Task<bool> TryRemoveAsync(DeferredTriggerDocument trigger, CancellationToken cancellationToken)
    {
        try
        {
            await Container.DeleteItemAsync<DeferredTriggerDocument>(trigger.Id, new PartitionKey(trigger.TenantId),
                new ItemRequestOptions { IfMatchEtag = trigger.ETag }, cancellationToken);
            return true;
        }
        catch (CosmosException e) when (e.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.PreconditionFailed)
        {
            return false;
        }
    }
}
