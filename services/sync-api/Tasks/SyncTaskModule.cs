using Carter;
using IntegrationSync.Shared.Contracts;
using IntegrationSync.Shared.Sync;
using IntegrationSync.SyncApi.Auth;
using IntegrationSync.SyncApi.Docs;
using IntegrationSync.SyncApi.Errors;
using IntegrationSync.SyncApi.Paging;

namespace IntegrationSync.SyncApi.Tasks;

/// <summary>
/// Sync tasks: trigger, read, list, cancel. Over the tenant's concurrency limit a trigger is still accepted: the task
/// waits <c>pending</c> and the runner starts it when a slot frees.
/// </summary>
public sealed class SyncTaskModule : ICarterModule
{
    internal static readonly IReadOnlyList<string> Statuses =
        [SyncStatus.Pending, SyncStatus.Running, SyncStatus.Paused, SyncStatus.Processing, SyncStatus.Completed, SyncStatus.Failed, SyncStatus.Cancelled];

    public void AddRoutes(IEndpointRouteBuilder app)
    {
        var group = app.MapTenantGroup("/api/v1/sync").WithTags("Sync");
        group.MapPost("/trigger", TriggerHandler.TriggerAsync)
            .WithSummary("Request a sync of an integration integration-manager knows for the tenant; 202 once the task is stored and its work message confirmed by the broker")
            .Accepts<TriggerSyncRequest>("application/json")
            .WithHeader(IdempotencyKey.Header, "a retried trigger with the same key (same tenant) answers the same task instead of creating another")
            .Produces<TriggerAccepted>(StatusCodes.Status202Accepted)
            .ProducesErrors(400, 404, 413, 422, 429, 503);
        group.MapGet("/tasks", ListAsync)
            .WithSummary("List tasks, newest first")
            .WithQuery([("integrationId", "UUID"), ("status", string.Join(" | ", Statuses)), ("direction", string.Join(" | ", SyncDirection.All)),
                ("createdFrom", "ISO-8601 date-time, inclusive"), ("createdTo", "ISO-8601 date-time, inclusive"), .. EndpointDocs.Paging])
            .Produces<Page<SyncTaskDto>>()
            .ProducesErrors(400, 503);
        group.MapGet("/tasks/{taskId}", GetAsync)
            .WithSummary("Read a task")
            .Produces<SyncTaskDto>()
            .ProducesErrors(404, 503);
        group.MapPost("/tasks/{taskId}/cancel", TaskControl.CancelAsync)
            .WithSummary("Cancel a task: pending → cancelled at once (200); running, paused, processing → ended by its owner with its counts so far (202); final → unchanged (200)")
            .Produces<SyncTaskDto>()
            .Produces<SyncTaskDto>(StatusCodes.Status202Accepted)
            .ProducesErrors(404, 503);
        group.MapPost("/tasks/{taskId}/pause", TaskControl.PauseAsync)
            .WithSummary("Pause a task: pending → paused (200); running → stops at its next page keeping its checkpoint, its slot freed (202); paused → unchanged (200)")
            .Produces<SyncTaskDto>()
            .Produces<SyncTaskDto>(StatusCodes.Status202Accepted)
            .ProducesErrors(404, 409, 503);
        group.MapPost("/tasks/{taskId}/resume", TaskControl.ResumeAsync)
            .WithSummary("Resume a paused task from its checkpoint once its tenant has a free slot (202); withdraw a pause not yet taken (200)")
            .Produces<SyncTaskDto>()
            .Produces<SyncTaskDto>(StatusCodes.Status202Accepted)
            .ProducesErrors(404, 409, 503);
    }

    private static async Task<IResult> GetAsync(string taskId, HttpContext http, SyncTaskRepository tasks, CancellationToken cancellationToken)
    {
        var task = await tasks.ReadAsync(Tenant.From(http).Id, taskId, cancellationToken);
        return task is null ? TaskNotFound() : Results.Ok(SyncTaskDto.From(task));
    }

    private static async Task<IResult> ListAsync(HttpContext http, SyncTaskRepository tasks, CancellationToken cancellationToken)
    {
        var query = new ListQuery(http.Request.Query, Tenant.From(http).Id, tasks.OfKind, "taskId")
            .Uuid("integrationId", "integrationId")
            .OneOf("status", "status", Statuses)
            .OneOf("direction", "direction", SyncDirection.All)
            .Time("createdFrom", "createdAt", ">=")
            .Time("createdTo", "createdAt", "<=");
        var page = PageRequest.Read(http, query.Errors);
        if (page is null || query.Errors.Count > 0)
        {
            return ApiError.Validation(query.Errors);
        }
        var (items, next) = await tasks.QueryPageAsync(Tenant.From(http).Id, query.NewestFirst(), page.Limit, page.CosmosContinuation, cancellationToken);
        return Results.Ok(new Page<SyncTaskDto>(items.Select(SyncTaskDto.From).ToList(), PageRequest.Encode(http, next)));
    }

    internal static IResult TaskNotFound() => ApiError.NotFound("TASK_NOT_FOUND", "Sync task not found");
}
