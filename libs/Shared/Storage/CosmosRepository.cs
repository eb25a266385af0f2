using System.Net;
using Microsoft.Azure.Cosmos;

namespace IntegrationSync.Shared.Storage;

/// <summary>
/// Point reads that answer null for a missing item, ETag-guarded replaces, patches and tenant-scoped queries.
/// Every call gives up when its token is cancelled (<c>WaitAsync</c>): the SDK does not always abandon an HTTP attempt
/// in flight to a server that stopped answering, and callers such as the API must not hang on it.
/// </summary>
public abstract class CosmosRepository<TDocument>(Container container) where TDocument : CosmosDocument
{
    protected Container Container { get; } = container;

    /// <summary>A missing item is an answer, not an error: read as a stream, so a miss costs no exception.</summary>
    public async Task<TDocument?> ReadAsync(string tenantId, string id, CancellationToken cancellationToken)
    {
        using var response = await Container.ReadItemStreamAsync(id, new PartitionKey(tenantId), cancellationToken: cancellationToken)
            .WaitAsync(cancellationToken);
        return response.StatusCode == HttpStatusCode.NotFound
            ? null
            : Container.Database.Client.ResponseFactory.CreateItemResponse<TDocument>(response).Resource;
    }

    public async Task<TDocument> CreateAsync(TDocument document, CancellationToken cancellationToken)
    {
        var response = await Container.CreateItemAsync(document, new PartitionKey(document.TenantId), cancellationToken: cancellationToken)
            .WaitAsync(cancellationToken);
        return response.Resource;
    }

    /// <summary>Replaces only if nobody changed the document since it was read; false on a lost race.</summary>
    public async Task<TDocument?> TryReplaceAsync(TDocument document, CancellationToken cancellationToken)
    {
        try
        {
            var response = await Container.ReplaceItemAsync(document, document.Id, new PartitionKey(document.TenantId),
                new ItemRequestOptions { IfMatchEtag = document.ETag }, cancellationToken).WaitAsync(cancellationToken);
            return response.Resource;
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.PreconditionFailed)
        {
            return null;
        }
    }

    /// <summary>Read, change, replace with the ETag; re-reads and re-applies on a lost race. Null when absent or when <paramref name="change"/> declines.</summary>
    public async Task<TDocument?> UpdateAsync(string tenantId, string id, Func<TDocument, TDocument?> change, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var current = await ReadAsync(tenantId, id, cancellationToken);
            if (current is null || change(current) is not { } changed)
            {
                return null;
            }
            if (await TryReplaceAsync(changed with { ETag = current.ETag }, cancellationToken) is { } replaced)
            {
                return replaced;
            }
        }
        throw new InvalidOperationException($"Gave up updating {typeof(TDocument).Name} {id} after 50 concurrent modifications.");
    }

    public async Task<TDocument> PatchAsync(
        string tenantId, string id, IReadOnlyList<PatchOperation> operations, CancellationToken cancellationToken)
    {
        var response = await Container.PatchItemAsync<TDocument>(id, new PartitionKey(tenantId), operations, cancellationToken: cancellationToken)
            .WaitAsync(cancellationToken);
        return response.Resource;
    }

    /// <summary>A fleet-level sweep across all tenants (background maintenance only, never on a request path).</summary>
    public async Task<List<TDocument>> QueryAcrossTenantsAsync(QueryDefinition query, CancellationToken cancellationToken)
    {
        var results = new List<TDocument>();
        using var iterator = Container.GetItemQueryIterator<TDocument>(query);
        while (iterator.HasMoreResults)
        {
            results.AddRange(await iterator.ReadNextAsync(cancellationToken));
        }
        return results;
    }

    /// <summary>Runs a query inside one tenant's partition; the query must also filter on <c>c.tenantId</c>.</summary>
    public async Task<List<TDocument>> QueryAsync(string tenantId, QueryDefinition query, int? maxItems, CancellationToken cancellationToken)
    {
        var results = new List<TDocument>();
        using var iterator = Container.GetItemQueryIterator<TDocument>(query, requestOptions: new QueryRequestOptions
        {
            PartitionKey = new PartitionKey(tenantId),
            MaxItemCount = maxItems ?? -1,
        });
        while (iterator.HasMoreResults && (maxItems is null || results.Count < maxItems))
        {
            results.AddRange(await iterator.ReadNextAsync(cancellationToken).WaitAsync(cancellationToken));
        }
        return maxItems is null ? results : results.Take(maxItems.Value).ToList();
    }

    /// <summary>One page of a tenant-scoped query; <c>ContinuationToken</c> is null on the last page.</summary>
    public async Task<(List<TDocument> Items, string? ContinuationToken)> QueryPageAsync(
        string tenantId, QueryDefinition query, int pageSize, string? continuationToken, CancellationToken cancellationToken)
    {
        using var iterator = Container.GetItemQueryIterator<TDocument>(query, continuationToken, new QueryRequestOptions
        {
            PartitionKey = new PartitionKey(tenantId),
            MaxItemCount = pageSize,
        });
        var items = new List<TDocument>();
        string? next = null;
        // Cosmos may answer an empty page that still has more to read: skip those, never exceed the page size.
        while (iterator.HasMoreResults && items.Count == 0)
        {
            var page = await iterator.ReadNextAsync(cancellationToken).WaitAsync(cancellationToken);
            items.AddRange(page);
            next = page.ContinuationToken;
        }
        return (items, iterator.HasMoreResults ? next : null);
    }
}
