using IntegrationSync.Shared.Storage;

namespace IntegrationSync.Shared.Sync;

/// <summary>One run of a task (container <c>integration_executions</c>, reference §3.3, plus our bookkeeping).</summary>
public sealed record ExecutionDocument : CosmosDocument
{
    public required string ExecutionId { get; init; }
    public required string TaskId { get; init; }
    public string? IntegrationId { get; init; }
    public string? Direction { get; init; }
    public string? EntityType { get; init; }
    public required string Status { get; init; }

    /// <summary>Records (not messages) confirmed by the broker; known once publishing has finished.</summary>
    public int RecordsPublished { get; init; }
    public int RecordsProcessed { get; init; }
    public int RecordsCreated { get; init; }
    public int RecordsUpdated { get; init; }
    public int RecordsFailed { get; init; }

    /// <summary>Published records whose mapping result never arrived before <c>mapping.completion_timeout_seconds</c>.</summary>
    public int RecordsMissing { get; init; }

    /// <summary>The run stopped at <c>sync_limits.max_records_per_sync</c>; the next run continues from the cursor.</summary>
    public bool Truncated { get; init; }
    public bool CompletionEventPublished { get; init; }
    public string? Error { get; init; }
    public string? ErrorCode { get; init; }
    public string? StartedAt { get; init; }
    public string? PublishedAt { get; init; }
    public string? CompletedAt { get; init; }
    public string? CreatedAt { get; init; }
    public string? UpdatedAt { get; init; }
}
