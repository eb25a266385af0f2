using System.Text.Json.Nodes;
using IntegrationSync.Shared.Conflicts;
using IntegrationSync.Shared.Contracts;
using IntegrationSync.Shared.Sync;

namespace IntegrationSync.SyncApi.Tests;

/// <summary>Documents written straight through the repositories, as the runner and event consumer would.</summary>
public static class Seed
{
    public static async Task<SyncTaskDocument> TaskAsync(
        ApiHost host, string tenantId, string status = SyncStatus.Pending, string? integrationId = null, string direction = SyncDirection.Inbound,
        DateTimeOffset? createdAt = null)
    {
        var id = Guid.NewGuid().ToString();
        var at = IsoTime.Format(createdAt ?? DateTimeOffset.UtcNow);
        return await host.Get<SyncTaskRepository>().CreateAsync(new SyncTaskDocument
        {
            Id = id,
            TaskId = id,
            TenantId = tenantId,
            IntegrationId = integrationId ?? Guid.NewGuid().ToString(),
            Direction = direction,
            Status = status,
            CurrentExecutionId = status == SyncStatus.Pending ? null : Guid.NewGuid().ToString(),
            CreatedAt = at,
            UpdatedAt = at,
        }, CancellationToken.None);
    }

    public static async Task<ExecutionDocument> ExecutionAsync(
        ApiHost host, string tenantId, string taskId, DateTimeOffset createdAt, string status = SyncStatus.Completed)
    {
        var id = Guid.NewGuid().ToString();
        return await host.Get<ExecutionRepository>().CreateAsync(new ExecutionDocument
        {
            Id = id,
            ExecutionId = id,
            TaskId = taskId,
            TenantId = tenantId,
            IntegrationId = Guid.NewGuid().ToString(),
            Direction = SyncDirection.Inbound,
            Status = status,
            RecordsPublished = 15,
            RecordsForwarded = 3,
            RecordsProcessed = 15,
            RecordsCreated = 7,
            RecordsUpdated = 3,
            RecordsFailed = 2,
            Truncated = true,
            TruncationReason = "record_limit",
            StartCursor = "0",
            Cursor = "15",
            BatchMode = false,
            Attempt = 2,
            Error = status == SyncStatus.Failed ? "adapter refused the credentials" : null,
            ErrorCode = status == SyncStatus.Failed ? "AUTH_EXPIRED" : null,
            CreatedAt = IsoTime.Format(createdAt),
            StartedAt = IsoTime.Format(createdAt.AddSeconds(1)),
            PublishedAt = IsoTime.Format(createdAt.AddSeconds(2)),
            CompletedAt = IsoTime.Format(createdAt.AddSeconds(4)),
            UpdatedAt = IsoTime.Format(createdAt.AddSeconds(4)),
        }, CancellationToken.None);
    }

    /// <param name="status">Set: a conflict of this fleet's bidirectional sync in that status; null: one of the original's (a label only).</param>
    public static async Task<ConflictDocument> ConflictAsync(
        ApiHost host, string tenantId, string? integrationId = null, bool resolved = false, DateTimeOffset? createdAt = null, string? status = null)
    {
        var id = Guid.NewGuid().ToString();
        return await host.Get<ConflictRepository>().CreateAsync(new ConflictDocument
        {
            Id = id,
            ConflictId = id,
            TenantId = tenantId,
            TaskId = Guid.NewGuid().ToString(),
            IntegrationId = integrationId ?? Guid.NewGuid().ToString(),
            ShardId = Guid.NewGuid().ToString(),
            ExternalId = "0015g00000XyZ",
            EntityId = "0015g00000XyZ",
            EntityType = "account",
            BaseVersion = new JsonObject { ["name"] = "Acme" },
            LocalVersion = new JsonObject { ["name"] = "Acme Ltd" },
            RemoteVersion = new JsonObject { ["name"] = "ACME Inc." },
            ResolutionStrategy = resolved ? ConflictResolutions.SourceWins : ConflictResolutions.Manual,
            Resolved = resolved,
            Resolution = resolved ? ConflictResolutions.SourceWins : null,
            CreatedAt = IsoTime.Format(createdAt ?? DateTimeOffset.UtcNow),
            Managed = status is not null,
            Status = status,
            RecordId = status is null ? null : $"rec-{Guid.NewGuid():N}",
            ChangedFields = status is null ? null : [new ChangedField("name", "both", "Acme", "Acme Ltd", "ACME Inc.")],
        }, CancellationToken.None);
    }
}
