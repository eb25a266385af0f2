using System.Text.Json.Nodes;
using IntegrationSync.Shared.Sync;

namespace IntegrationSync.SyncApi.Tasks;

/// <summary>
/// What the API shows of a task: never Cosmos system fields. <c>cancelRequestedAt</c> / <c>pauseRequestedAt</c>: a cancel or
/// pause reached a running task, which stops at its next page.
/// </summary>
public sealed record SyncTaskDto(
    string TaskId,
    string TenantId,
    string? IntegrationId,
    string? Direction,
    string? Status,
    string? EntityType,
    JsonObject? Filters,
    string? CurrentExecutionId,
    int? RecordsProcessed,
    int? RecordsCreated,
    int? RecordsUpdated,
    int? RecordsFailed,
    string? Error,
    string? StartedAt,
    string? CompletedAt,
    string? CancelRequestedAt,
    string? PauseRequestedAt,
    string? CreatedAt,
    string? UpdatedAt)
{
    public static SyncTaskDto From(SyncTaskDocument task) => new(
        task.TaskId ?? task.Id, task.TenantId, task.IntegrationId, task.Direction, task.Status, task.EntityType, task.Filters,
        task.CurrentExecutionId, task.RecordsProcessed, task.RecordsCreated, task.RecordsUpdated, task.RecordsFailed,
        task.Error, task.StartedAt, task.CompletedAt, task.CancelRequestedAt, task.PauseRequestedAt, task.CreatedAt, task.UpdatedAt);
}
