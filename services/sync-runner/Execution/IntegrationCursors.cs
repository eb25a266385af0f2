using IntegrationSync.Shared.Storage;

namespace IntegrationSync.SyncRunner.Execution;

/// <summary>Where the next run of an integration's entity type starts: set when a run stopped early, cleared by a complete run.</summary>
public sealed record IntegrationCursorDocument : CosmosDocument
{
    public string Type { get; init; } = "integration_cursor";
    public string? Cursor { get; init; }
    public string? ExecutionId { get; init; }
    public string? UpdatedAt { get; init; }

    public static string IdFor(string integrationId, string entityType) => $"cursor-{integrationId}-{entityType}";
}

public sealed class IntegrationCursors(CosmosContainers containers) : CosmosRepository<IntegrationCursorDocument>(containers.SyncState)
{
    public async Task<string?> ReadAsync(RunKey key, CancellationToken cancellationToken) =>
        (await ReadAsync(key.TenantId, IntegrationCursorDocument.IdFor(key.IntegrationId, key.EntityType), cancellationToken))?.Cursor;

    public Task SaveAsync(RunKey key, string? cursor, string executionId, string now, CancellationToken cancellationToken) =>
        Container.UpsertItemAsync(new IntegrationCursorDocument
        {
            Id = IntegrationCursorDocument.IdFor(key.IntegrationId, key.EntityType),
            TenantId = key.TenantId,
            Cursor = cursor,
            ExecutionId = executionId,
            UpdatedAt = now,
        }, new Microsoft.Azure.Cosmos.PartitionKey(key.TenantId), cancellationToken: cancellationToken);
}

public sealed record RunKey(string TenantId, string IntegrationId, string EntityType);
