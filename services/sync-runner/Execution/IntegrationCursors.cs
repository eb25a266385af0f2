using IntegrationSync.Shared.Contracts;
using IntegrationSync.Shared.Storage;
using IntegrationSync.Shared.Sync;
using Microsoft.Azure.Cosmos;

namespace IntegrationSync.SyncRunner.Execution;

/// <summary>Where the next run of an integration's entity type starts: set when a run stopped early, cleared by a complete run.</summary>
public sealed record IntegrationCursorDocument : CosmosDocument
{
    public const string DocType = "integration_cursor";

    public override string Type { get; init; } = DocType;
    public string? Cursor { get; init; }
    public string? ExecutionId { get; init; }

    /// <summary>When the execution that wrote it started: a run that started earlier never moves the cursor back.</summary>
    public string? ExecutionStartedAt { get; init; }
    public string? UpdatedAt { get; init; }

    public static string IdFor(string integrationId, string entityType) => $"cursor-{integrationId}-{entityType}";
}

public sealed class IntegrationCursors(CosmosContainers containers, TimeProvider time)
    : CosmosRepository<IntegrationCursorDocument>(containers.SyncState, containers.Kind(IntegrationCursorDocument.DocType))
{
    public async Task<string?> ReadAsync(RunKey key, CancellationToken cancellationToken) =>
        (await ReadAsync(key.TenantId, IntegrationCursorDocument.IdFor(key.IntegrationId, key.EntityType), cancellationToken))?.Cursor;

    /// <summary>Lets every cursor of the integration expire after <paramref name="retention"/> (Cosmos TTL); the count set.</summary>
    public async Task<int> ExpireAsync(string tenantId, string integrationId, TimeSpan retention, CancellationToken cancellationToken)
    {
        var found = await QueryAsync(tenantId, new QueryDefinition($"SELECT * FROM c WHERE {OfKind} AND STARTSWITH(c.id, @prefix)")
            .WithParameter("@prefix", IntegrationCursorDocument.IdFor(integrationId, "")), maxItems: null, cancellationToken);
        foreach (var cursor in found)
        {
            await PatchAsync(tenantId, cursor.Id, [PatchOperation.Set("/ttl", (int)retention.TotalSeconds)], cancellationToken);
        }
        return found.Count;
    }

    /// <summary>Moves the cursor only forward: an execution that started before the one that wrote it leaves it alone.</summary>
    public Task SaveAsync(RunKey key, string? cursor, ExecutionDocument execution, CancellationToken cancellationToken) =>
        ChangeAsync(key.TenantId, IntegrationCursorDocument.IdFor(key.IntegrationId, key.EntityType), current =>
            current is not null && string.CompareOrdinal(current.ExecutionStartedAt, execution.StartedAt) > 0
                ? null
                : new IntegrationCursorDocument
                {
                    Id = IntegrationCursorDocument.IdFor(key.IntegrationId, key.EntityType),
                    TenantId = key.TenantId,
                    Cursor = cursor,
                    ExecutionId = execution.ExecutionId,
                    ExecutionStartedAt = execution.StartedAt,
                    UpdatedAt = IsoTime.Format(time.GetUtcNow()),
                }, cancellationToken);
}

public sealed record RunKey(string TenantId, string IntegrationId, string EntityType);
