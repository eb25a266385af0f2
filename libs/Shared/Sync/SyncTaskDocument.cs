using System.Text.Json.Nodes;
using IntegrationSync.Shared.Storage;

namespace IntegrationSync.Shared.Sync;

/// <summary>
/// A requested sync (container <c>integration_sync_tasks</c>, reference §3.2). The container is shared with
/// integration-manager, whose documents have other shapes: every field but the identity is optional.
/// </summary>
public sealed record SyncTaskDocument : CosmosDocument
{
    public const string DocType = "sync_task";

    public override string Type { get; init; } = DocType;

    public string? TaskId { get; init; }
    public string? IntegrationId { get; init; }
    public string? Direction { get; init; }
    public string? Status { get; init; }
    public string? EntityType { get; init; }
    public JsonObject? Filters { get; init; }
    public string? StartedAt { get; init; }
    public string? CompletedAt { get; init; }
    public string? Error { get; init; }
    public int? RecordsProcessed { get; init; }
    public int? RecordsCreated { get; init; }
    public int? RecordsUpdated { get; init; }
    public int? RecordsFailed { get; init; }
    public string? CurrentExecutionId { get; init; }

    /// <summary>Set by the API's cancel: a running execution stops cooperatively at its next page.</summary>
    public string? CancelRequestedAt { get; init; }

    /// <summary>Set by the API's pause: a running execution stops at its next page, keeping its checkpoint.</summary>
    public string? PauseRequestedAt { get; init; }

    /// <summary>Since when the task waits for a free slot of its tenant (the runner's waiting list).</summary>
    public string? WaitingSince { get; init; }

    /// <summary>Written by this fleet (the container is shared with integration-manager and the original system).</summary>
    public bool Managed { get; init; }

    /// <summary>The W3C trace context of the trigger: work sent for the task later (a freed slot, a redispatch) stays in its trace.</summary>
    public string? TraceParent { get; init; }

    /// <summary>The trigger's <c>Idempotency-Key</c>: a retried trigger returns this task.</summary>
    public string? IdempotencyKey { get; init; }

    /// <summary>Who asked for it: a user id, or <c>scheduler</c> / <c>webhook</c>.</summary>
    public string? RequestedBy { get; init; }
    public string? CreatedAt { get; init; }
    public string? UpdatedAt { get; init; }
}
