using IntegrationSync.Shared.Contracts;
using IntegrationSync.Shared.Security;
using IntegrationSync.Shared.Sync;

namespace IntegrationSync.SyncApi.Executions;

/// <summary>One run of a task. <c>truncated</c>: the run stopped at <c>sync_limits.max_records_per_sync</c> and the next run continues from its cursor.</summary>
public sealed record ExecutionDto(
    string ExecutionId,
    string TaskId,
    string? IntegrationId,
    string? Direction,
    string? EntityType,
    string Status,
    int RecordsPublished,
    bool Truncated,
    string? Error,
    string? ErrorCode,
    ExecutionStatistics Statistics,
    ExecutionDeletionsDto? Deletions,
    ExecutionTimings Timings,
    ExecutionCheckpoint Checkpoint)
{
    public static ExecutionDto From(ExecutionDocument execution) => new(
        execution.ExecutionId, execution.TaskId, execution.IntegrationId, execution.Direction, execution.EntityType, execution.Status,
        execution.RecordsPublished, execution.Truncated, execution.Error, execution.ErrorCode,
        new ExecutionStatistics(execution.RecordsPublished, execution.RecordsForwarded, execution.RecordsProcessed, execution.RecordsCreated, execution.RecordsUpdated,
            execution.RecordsFailed, execution.RecordsMissing, execution.RecordsPushed, execution.Conflicts, execution.EchoesSkipped, execution.ApiCalls,
            execution.Deletions?.Propagated ?? 0),
        execution.Deletions is { } d ? new ExecutionDeletionsDto(d.Detected, d.Propagated, d.Unlinked, d.Held, d.Approval, d.DecidedAt, d.Missed,
            d.Reconciling, d.Reconciled) : null,
        new ExecutionTimings(execution.CreatedAt, execution.StartedAt, execution.PublishedAt, execution.CompletedAt, execution.UpdatedAt,
            DurationMs(execution.StartedAt, execution.CompletedAt)),
        new ExecutionCheckpoint(Redaction.Cursor(execution.StartCursor), Redaction.Cursor(execution.Cursor), execution.BatchMode, execution.TruncationReason,
            execution.Attempt, execution.HeartbeatAt));

    private static long? DurationMs(string? startedAt, string? completedAt) =>
        IsoTime.Parse(startedAt) is { } start && IsoTime.Parse(completedAt) is { } end ? (long)(end - start).TotalMilliseconds : null;
}

/// <summary>
/// Records published (confirmed by the broker); of those, the ones forwarded to the non-CRM processors (documents, emails,
/// messages, meetings, calendar events), which report no mapping result; the mapping results counted so far; and those
/// that never came (timeout). Once the run has ended, <c>recordsProcessed</c> = created + updated + failed + forwarded.
/// Bidirectional sync: records pushed to the vendor, conflicts met (however they were resolved), and the vendor's echoes of
/// our own writes that were not published again. <c>apiCalls</c>: the vendor API calls the execution's reads made, each
/// attempt, as the vendor counts them against its quota. <c>recordsDeleted</c>: records deleted at the vendor whose deletion
/// reached Castiel (shards deleted, messages published deleted).
/// </summary>
public sealed record ExecutionStatistics(
    int RecordsPublished, int RecordsForwarded, int RecordsProcessed, int RecordsCreated, int RecordsUpdated, int RecordsFailed, int RecordsMissing,
    int RecordsPushed, int Conflicts, int EchoesSkipped, int ApiCalls, int RecordsDeleted);

/// <summary>
/// Records the vendor reported deleted since the cursor (<c>detected</c>); of those, <c>deleted</c> in Castiel and
/// <c>unlinked</c> (no shard known for the record). <c>held</c>: deletions the mass-delete guard kept back, whose
/// <c>approval</c> is <c>pending</c> (approve or reject them), <c>approved</c> or <c>rejected</c>. <c>missed</c>: why
/// deletions may be missing (the vendor no longer keeps them); then, where the adapter can tell which records exist
/// (Salesforce), the run compares every linked record with the vendor (<c>reconciling</c> until done) and <c>reconciled</c>
/// counts the deletions only that comparison found.
/// </summary>
public sealed record ExecutionDeletionsDto(
    int Detected, int Deleted, int Unlinked, int Held, string? Approval, string? DecidedAt, string? Missed, bool Reconciling, int Reconciled);

/// <summary>
/// Where the run started and its last checkpoint (the position after the last page the broker confirmed; a next-page
/// link is shown without its query, which may carry a vendor's token), whether it
/// publishes batches, why it stopped early (<c>record_limit</c>, <c>quota_exhausted</c>, <c>retry_after</c>), and how often it was resumed.
/// </summary>
public sealed record ExecutionCheckpoint(string? StartCursor, string? Cursor, bool BatchMode, string? TruncationReason, int Attempt, string? HeartbeatAt);

/// <summary>ISO-8601 UTC times of the run's stages; <c>durationMs</c> from start to completion.</summary>
public sealed record ExecutionTimings(string? CreatedAt, string? StartedAt, string? PublishedAt, string? CompletedAt, string? UpdatedAt, long? DurationMs);
