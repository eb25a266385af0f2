using Carter;
using IntegrationSync.Shared.Contracts;
using IntegrationSync.Shared.Contracts.Commands;
using IntegrationSync.Shared.Messaging;
using IntegrationSync.Shared.Sync;
using IntegrationSync.SyncApi.Auth;
using IntegrationSync.SyncApi.Errors;

namespace IntegrationSync.SyncApi.Tasks;

public sealed class SyncTaskModule : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app)
    {
        var group = app.MapTenantGroup("/api/v1/sync").WithTags("Sync");
        group.MapPost("/trigger", TriggerAsync);
        group.MapGet("/tasks/{taskId}", GetAsync);
    }

    /// <summary>Stores the task, then hands the run to the runner; 202 only once the broker confirmed the work message.</summary>
    private static async Task<IResult> TriggerAsync(
        HttpContext http, SyncTaskRepository tasks, IEventPublisher publisher, TimeProvider time, ILogger<SyncTaskModule> logger,
        CancellationToken cancellationToken)
    {
        var (request, errors) = await TriggerSyncRequest.ReadAsync(http.Request, cancellationToken);
        if (request is null)
        {
            return ApiError.Validation(errors);
        }

        var tenant = Tenant.From(http);
        var now = IsoTime.Format(time.GetUtcNow());
        var taskId = Guid.NewGuid().ToString();
        await tasks.CreateAsync(new SyncTaskDocument
        {
            Id = taskId,
            TaskId = taskId,
            TenantId = tenant.Id,
            IntegrationId = request.IntegrationId,
            Direction = request.Direction,
            Status = SyncStatus.Pending,
            EntityType = request.EntityType,
            Filters = request.Filters,
            CreatedAt = now,
            UpdatedAt = now,
        }, cancellationToken);

        try
        {
            await publisher.PublishAsync(
                new SyncRequested(taskId, request.IntegrationId, request.Direction, request.EntityType, request.Filters, now),
                tenant.Id, new EventMetadata(UserId: Guid.TryParse(tenant.UserId, out _) ? tenant.UserId : null), cancellationToken);
        }
        catch (Exception e)
        {
            // Never leave a task pending that no runner will ever see.
            logger.LogError(e, "Could not enqueue sync task {TaskId}", taskId);
            await tasks.UpdateAsync(tenant.Id, taskId, t => t with
            {
                Status = SyncStatus.Failed, Error = "Could not enqueue the sync: message broker unavailable", UpdatedAt = now,
            }, CancellationToken.None);
            return ApiError.Result(503, "DEPENDENCY_UNAVAILABLE", "The sync could not be queued; retry later");
        }

        return Results.Json(new { taskId, status = SyncStatus.Pending, message = "Sync task created and queued" }, statusCode: 202);
    }

    private static async Task<IResult> GetAsync(string taskId, HttpContext http, SyncTaskRepository tasks, CancellationToken cancellationToken)
    {
        var task = await tasks.ReadAsync(Tenant.From(http).Id, taskId, cancellationToken);
        return task is null
            ? ApiError.NotFound("TASK_NOT_FOUND", "Sync task not found")
            : Results.Ok(SyncTaskDto.From(task));
    }
}
