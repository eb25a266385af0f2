using IntegrationSync.Shared.Contracts;
using IntegrationSync.Shared.Contracts.Commands;
using IntegrationSync.Shared.Messaging;
using IntegrationSync.Shared.Sync;
using IntegrationSync.SyncApi.Auth;
using IntegrationSync.SyncApi.Errors;

namespace IntegrationSync.SyncApi.Tasks;

/// <summary>
/// Cancel, pause and resume of a task. The API writes only the task's request (and the status of a task no run has
/// started); each execution's owner acts on it: the runner for a running or paused one, event-consumer for a processing one.
/// All three are idempotent and never start a second run.
/// </summary>
public static class TaskControl
{
    /// <summary>pending (or paused before it started) → cancelled at once (200); running, paused, processing → ended by its owner (202); final → unchanged (200).</summary>
    public static async Task<IResult> CancelAsync(string taskId, HttpContext http, SyncTaskRepository tasks, IEventPublisher publisher, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var current = await TaskCancellation.RequestAsync(tasks, publisher, Tenant.From(http).Id, taskId, IsoTime.Format(time.GetUtcNow()), cancellationToken);
        return current switch
        {
            null => SyncTaskModule.TaskNotFound(),
            _ when SyncStatus.IsFinal(current.Status) => Results.Ok(SyncTaskDto.From(current)),
            _ => Results.Json(SyncTaskDto.From(current), statusCode: StatusCodes.Status202Accepted),
        };
    }

    /// <summary>pending → paused (200); running → stops at its next page keeping its checkpoint (202); paused → unchanged (200); processing or final → 409.</summary>
    public static async Task<IResult> PauseAsync(string taskId, HttpContext http, SyncTaskRepository tasks, TimeProvider time, CancellationToken cancellationToken)
    {
        var tenantId = Tenant.From(http).Id;
        var now = IsoTime.Format(time.GetUtcNow());
        var changed = await tasks.UpdateAsync(tenantId, taskId, task => task switch
        {
            { Status: SyncStatus.Pending } => task with { Status = SyncStatus.Paused, PauseRequestedAt = now, WaitingSince = null, UpdatedAt = now },
            { Status: SyncStatus.Running, PauseRequestedAt: null } => task with { PauseRequestedAt = now, UpdatedAt = now },
            _ => null,
        }, cancellationToken);
        return (changed ?? await tasks.ReadAsync(tenantId, taskId, cancellationToken)) switch
        {
            null => SyncTaskModule.TaskNotFound(),
            { Status: SyncStatus.Running } running => Results.Json(SyncTaskDto.From(running), statusCode: StatusCodes.Status202Accepted),
            { Status: SyncStatus.Paused } paused => Results.Ok(SyncTaskDto.From(paused)),
            var other => ApiError.Result(StatusCodes.Status409Conflict, "TASK_NOT_PAUSABLE",
                $"A {other.Status} task cannot be paused: only pending and running tasks can"),
        };
    }

    /// <summary>paused → pending, continuing from its checkpoint when a slot is free (202); running with a pause requested → the request withdrawn (200).</summary>
    public static async Task<IResult> ResumeAsync(string taskId, HttpContext http, SyncTaskRepository tasks, IEventPublisher publisher, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var tenantId = Tenant.From(http).Id;
        var now = IsoTime.Format(time.GetUtcNow());
        var changed = await tasks.UpdateAsync(tenantId, taskId, task => task switch
        {
            { Status: SyncStatus.Paused, CancelRequestedAt: null } => task with { Status = SyncStatus.Pending, PauseRequestedAt = null, UpdatedAt = now },
            { Status: SyncStatus.Running, PauseRequestedAt: not null } => task with { PauseRequestedAt = null, UpdatedAt = now },
            _ => null,
        }, cancellationToken);
        var current = changed ?? await tasks.ReadAsync(tenantId, taskId, cancellationToken);
        switch (current)
        {
            case null:
                return SyncTaskModule.TaskNotFound();
            case { Status: SyncStatus.Pending } when changed is not null:
                await publisher.PublishAsync(WorkMessages.For(current, time.GetUtcNow()), tenantId, cancellationToken: cancellationToken);
                return Results.Json(SyncTaskDto.From(current), statusCode: StatusCodes.Status202Accepted);
            case { Status: SyncStatus.Pending or SyncStatus.Running }:
                return Results.Ok(SyncTaskDto.From(current));
            default:
                return ApiError.Result(StatusCodes.Status409Conflict, "TASK_NOT_PAUSED", $"A {current.Status} task cannot be resumed: only paused tasks can");
        }
    }
}
