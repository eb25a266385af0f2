using System.Net;
using Microsoft.Azure.Cosmos;

namespace IntegrationSync.Shared.Storage;

/// <summary>
/// Point reads that answer null for a missing item, ETag-guarded replaces, patches and tenant-scoped queries.
/// Every call gives up when its token is cancelled (<c>WaitAsync</c>): the SDK does not always abandon an HTTP attempt
/// in flight to a server that stopped answering, and callers such as the API must not hang on it.
/// </summary>
public abstract class CosmosRepository<TDocument>(Container container, DocumentKind kind) where TDocument : CosmosDocument
{
    private const int MaxRaces = 50;

    protected Container Container { get; } = container;

    /// <summary>The condition (alias <c>c</c>) that keeps a query to this repository's kind; every query carries it.</summary>
    public string OfKind => kind.Clause;

    /// <summary>Where a document lives: its tenant's partition, unless the container is partitioned otherwise.</summary>
    protected virtual PartitionKey PartitionOf(string tenantId, string id) => new(tenantId);

    /// <summary>
    /// A missing item is an answer, not an error: read as a stream, so a miss costs no exception. A document of another
    /// kind under the same id (the single-container layout) is missing too.
    /// </summary>
    public async Task<TDocument?> ReadAsync(string tenantId, string id, CancellationToken cancellationToken)
    {
        using var response = await Container.ReadItemStreamAsync(id, PartitionOf(tenantId, id), cancellationToken: cancellationToken)
            .WaitAsync(cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        if (response.IsSuccessStatusCode)
        {
            var body = response.Content as MemoryStream ?? await CopyAsync(response.Content, cancellationToken);
            if (!kind.Matches(body.TryGetBuffer(out var bytes) ? bytes : body.ToArray()))
            {
                return null;
            }
            body.Position = 0;
            response.Content = body;
        }
        return Container.Database.Client.ResponseFactory.CreateItemResponse<TDocument>(response).Resource;
    }

    private static async Task<MemoryStream> CopyAsync(Stream content, CancellationToken cancellationToken)
    {
        var copy = new MemoryStream();
        await content.CopyToAsync(copy, cancellationToken);
        return copy;
    }

    public async Task<TDocument> CreateAsync(TDocument document, CancellationToken cancellationToken)
    {
        var response = await Container.CreateItemAsync(document, PartitionOf(document.TenantId, document.Id), cancellationToken: cancellationToken)
            .WaitAsync(cancellationToken);
        return response.Resource;
    }

    /// <summary>Replaces only if nobody changed the document since it was read; false on a lost race.</summary>
    public async Task<TDocument?> TryReplaceAsync(TDocument document, CancellationToken cancellationToken)
    {
        try
        {
            var response = await Container.ReplaceItemAsync(document, document.Id, PartitionOf(document.TenantId, document.Id),
                new ItemRequestOptions { IfMatchEtag = document.ETag }, cancellationToken).WaitAsync(cancellationToken);
            return response.Resource;
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.PreconditionFailed)
        {
            return null;
        }
    }

    /// <summary>Creates the document; null when one with its id exists already (a lost race).</summary>
    public async Task<TDocument?> TryCreateAsync(TDocument document, CancellationToken cancellationToken)
    {
        try
        {
            return await CreateAsync(document, cancellationToken);
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.Conflict)
        {
            return null;
        }
    }

    /// <summary>
    /// Create-or-replace under the ETag: reads the document (null when absent), asks <paramref name="change"/> for its next
    /// version (null: leave it as it is), creates or replaces it, and on a lost race reads and asks again. Returns what
    /// was written, null when <paramref name="change"/> declined.
    /// </summary>
    public async Task<TDocument?> ChangeAsync(string tenantId, string id, Func<TDocument?, TDocument?> change, CancellationToken cancellationToken)
    {
        for (var race = 0; race < MaxRaces; race++)
        {
            var current = await ReadAsync(tenantId, id, cancellationToken);
            if (change(current) is not { } next)
            {
                return null;
            }
            var written = current is null
                ? await TryCreateAsync(next with { ETag = null }, cancellationToken)
                : await TryReplaceAsync(next with { ETag = current.ETag }, cancellationToken);
            if (written is not null)
            {
                return written;
            }
        }
        throw new InvalidOperationException($"Gave up changing {typeof(TDocument).Name} {id} after {MaxRaces} concurrent modifications.");
    }

    /// <summary>Read, change, replace with the ETag; re-reads and re-applies on a lost race. Null when absent or when <paramref name="change"/> declines.</summary>
    public Task<TDocument?> UpdateAsync(string tenantId, string id, Func<TDocument, TDocument?> change, CancellationToken cancellationToken) =>
        ChangeAsync(tenantId, id, current => current is null ? null : change(current), cancellationToken);

    public Task<TDocument> PatchAsync(string tenantId, string id, IReadOnlyList<PatchOperation> operations, CancellationToken cancellationToken) =>
        PatchAsync(tenantId, id, operations, filterPredicate: null, cancellationToken);

    /// <summary>A patch applied only while <paramref name="filterPredicate"/> (<c>FROM c WHERE ...</c>) holds; 412 otherwise.</summary>
    public async Task<TDocument> PatchAsync(
        string tenantId, string id, IReadOnlyList<PatchOperation> operations, string? filterPredicate, CancellationToken cancellationToken)
    {
        var response = await Container.PatchItemAsync<TDocument>(id, PartitionOf(tenantId, id), operations,
                filterPredicate is null ? null : new PatchItemRequestOptions { FilterPredicate = filterPredicate }, cancellationToken)
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
