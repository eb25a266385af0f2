using IntegrationSync.Shared.Storage;

namespace IntegrationSync.Shared.Sync;

/// <summary>One run of a task (container <c>integration_executions</c>, reference §3.3, plus our bookkeeping).</summary>
public sealed record ExecutionDocument : CosmosDocument
{
    public const string DocType = "sync_execution";

    public override string Type { get; init; } = DocType;

    public required string ExecutionId { get; init; }
    public required string TaskId { get; init; }
    public string? IntegrationId { get; init; }
    public string? Direction { get; init; }
    public string? EntityType { get; init; }
    public required string Status { get; init; }

    /// <summary>Records (not messages) confirmed by the broker; known once publishing has finished.</summary>
    public int RecordsPublished { get; init; }

    /// <summary>
    /// Of <see cref="RecordsPublished"/>, those handed to the non-CRM processors (documents, emails, messages, meetings,
    /// calendar events). They report no mapping result, so completion waits only for the others; they count as processed.
    /// </summary>
    public int RecordsForwarded { get; init; }

    /// <summary>Once the execution has ended: created + updated + failed + forwarded.</summary>
    public int RecordsProcessed { get; init; }
    public int RecordsCreated { get; init; }
    public int RecordsUpdated { get; init; }
    public int RecordsFailed { get; init; }

    /// <summary>Published CRM records whose mapping result never arrived before <c>mapping.completion_timeout_seconds</c>.</summary>
    public int RecordsMissing { get; init; }

    /// <summary>The run stopped early (record limit or vendor quota); the next run continues from the cursor.</summary>
    public bool Truncated { get; init; }

    /// <summary><c>record_limit</c>, <c>quota_exhausted</c> or <c>retry_after</c> (the vendor asked for a longer pause than a run waits) when <see cref="Truncated"/>.</summary>
    public string? TruncationReason { get; init; }

    /// <summary>Where the run started and the position after the last page published and confirmed (its checkpoint).</summary>
    public string? StartCursor { get; init; }
    public string? Cursor { get; init; }

    /// <summary>Once more than <c>mapping.batch_threshold</c> records were seen the run publishes batches; a resumed run keeps the mode.</summary>
    public bool BatchMode { get; init; }

    /// <summary>Records published again in this execution (a resume re-sending confirmed pages, a source that repeats rows); counted once.</summary>
    public int RecordsResent { get; init; }

    /// <summary>Bidirectional sync: records pushed to the vendor, conflicts met (however resolved), our own writes seen again and not republished.</summary>
    public int RecordsPushed { get; init; }
    public int Conflicts { get; init; }
    public int EchoesSkipped { get; init; }

    /// <summary>Vendor API calls the execution's reads made, every attempt (as the vendor counts them), as of its last checkpoint.</summary>
    public int ApiCalls { get; init; }

    /// <summary>Records the vendor reported deleted since the cursor (null: none so far).</summary>
    public ExecutionDeletions? Deletions { get; init; }

    /// <summary>
    /// Written by this fleet's lifecycle. The shared container also holds the original system's executions, which no
    /// sweep, completion or reaper ever touches.
    /// </summary>
    public bool Managed { get; init; }

    /// <summary>Takeovers by the reaper so far plus one (<c>runner.max_attempts</c> bounds them).</summary>
    public int Attempt { get; init; } = 1;

    /// <summary>
    /// The runner that owns the running execution (null: released, waiting to be resumed) and the fencing token of its
    /// ownership: every write of a run is conditional on it, so a runner that lost the execution stops at its next write.
    /// </summary>
    public string? RunnerInstance { get; init; }
    public int Generation { get; init; }
    public string? HeartbeatAt { get; init; }

    /// <summary>
    /// The W3C trace context of the request that started the execution: every later step of it (resumed runs on other
    /// runners, completion in event-consumer) joins that trace, so one sync is one trace from trigger to completion.
    /// </summary>
    public string? TraceParent { get; init; }

    /// <summary>The integration's provider (adapter), known once the run has read the integration.</summary>
    public string? ProviderName { get; init; }

    /// <summary>When the execution's final status was mirrored on its task and its final event published.</summary>
    public string? AnnouncedAt { get; init; }
    public bool StartAnnounced { get; init; }

    public string? PausedAt { get; init; }
    public string? Error { get; init; }
    public string? ErrorCode { get; init; }
    public string? StartedAt { get; init; }
    public string? PublishedAt { get; init; }
    public string? CompletedAt { get; init; }
    public string? CreatedAt { get; init; }
    public string? UpdatedAt { get; init; }
}

/// <summary>
/// Deletions an execution's reads were told of (<see cref="Detected"/>), and why some may be missing (null: the vendor
/// reported them all); of those, the ones taken to Castiel (<see cref="Propagated"/>: shards deleted, messages published
/// deleted) and those whose record Castiel has no known shard for (<see cref="Unlinked"/>). <see cref="Held"/>: deletions
/// the mass-delete guard held for a person, whose <see cref="Approval"/> is <c>pending</c>, <c>approved</c> or
/// <c>rejected</c>. <see cref="Reconciling"/>: the vendor no longer has the deletions since the cursor, so the run compares
/// every linked record with the vendor at the end of its pull; <see cref="Reconciled"/>: the records that comparison found
/// gone. One field of the execution, so a checkpoint stays within Cosmos DB's 10 operations a patch.
/// </summary>
public sealed record ExecutionDeletions(
    int Detected, string? Missed, int Propagated = 0, int Unlinked = 0, int Held = 0, string? Approval = null, string? DecidedAt = null,
    bool Reconciling = false, int Reconciled = 0)
{
    public const string Pending = "pending";
    public const string Approved = "approved";
    public const string Rejected = "rejected";
}
