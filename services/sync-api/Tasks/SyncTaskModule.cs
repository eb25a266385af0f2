using System.Net;
using Carter;
using IntegrationSync.Shared.Configuration.Options;
using IntegrationSync.Shared.Contracts;
using IntegrationSync.Shared.Contracts.Commands;
using IntegrationSync.Shared.Limits;
using IntegrationSync.Shared.Messaging;
using IntegrationSync.Shared.Sync;
using IntegrationSync.SyncApi.Auth;
using IntegrationSync.SyncApi.Docs;
using IntegrationSync.SyncApi.Errors;
using IntegrationSync.SyncApi.Paging;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Options;

namespace IntegrationSync.SyncApi.Tasks;

/// <summary>
/// Sync tasks: trigger, read, list, cancel. Over the tenant's concurrency limit a trigger is still accepted: the task
/// waits <c>pending</c> and the runner starts it when a slot frees.
/// </summary>
public sealed class SyncTaskModule : ICarterModule
{
    internal static readonly IReadOnlyList<string> Statuses =
        [SyncStatus.Pending, SyncStatus.Running, SyncStatus.Processing, SyncStatus.Completed, SyncStatus.Failed, SyncStatus.Cancelled];

    public void AddRoutes(IEndpointRouteBuilder app)
    {
        var group = app.MapTenantGroup("/api/v1/sync").WithTags("Sync");
        group.MapPost("/trigger", TriggerAsync)
            .WithSummary("Request a sync; 202 once the task is stored and its work message confirmed by the broker")
            .Accepts<TriggerSyncRequest>("application/json")
            .WithHeader(IdempotencyKey.Header, "a retried trigger with the same key (same tenant) answers the same task instead of creating another")
            .Produces<TriggerAccepted>(StatusCodes.Status202Accepted)
            .ProducesErrors(400, 413, 422, 429, 503);
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
        group.MapPost("/tasks/{taskId}/cancel", CancelAsync)
            .WithSummary("Cancel a task: pending → cancelled at once (200); running → stops at its next page (202); final → unchanged (200)")
            .Produces<SyncTaskDto>()
            .Produces<SyncTaskDto>(StatusCodes.Status202Accepted)
            .ProducesErrors(404, 503);
    }

    /// <summary>Stores the task, then hands the run to the runner; 202 only once the broker confirmed the work message.</summary>
    private static async Task<IResult> TriggerAsync(
        HttpContext http, SyncTaskRepository tasks, MinIntervalGate gate, IOptions<SyncLimitsOptions> limits, IEventPublisher publisher,
        TimeProvider time, ILogger<SyncTaskModule> logger, CancellationToken cancellationToken)
    {
        var headerErrors = new List<FieldError>();
        var key = IdempotencyKey.Read(http.Request, headerErrors);
        var (request, errors) = await TriggerSyncRequest.ReadAsync(http.Request, cancellationToken);
        if (request is null || headerErrors.Count > 0)
        {
            return ApiError.Validation([.. headerErrors, .. errors]);
        }

        var tenant = Tenant.From(http);
        var taskId = key is null ? Guid.NewGuid().ToString() : IdempotencyKey.TaskIdFor(tenant.Id, key);
        if (key is not null && await tasks.ReadAsync(tenant.Id, taskId, cancellationToken) is { } replay)
        {
            return Replayed(replay, request);
        }

        var decision = await gate.TryOpenAsync(
            tenant.Id, request.IntegrationId, TimeSpan.FromMinutes(limits.Value.MinIntervalMinutes), taskId, cancellationToken);
        if (!decision.IsAllowed)
        {
            http.Response.Headers.RetryAfter = decision.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return ApiError.Result(StatusCodes.Status429TooManyRequests, "SYNC_MIN_INTERVAL",
                $"This integration was synced less than {limits.Value.MinIntervalMinutes} minute(s) ago; retry in {decision.RetryAfterSeconds} s");
        }

        var now = IsoTime.Format(time.GetUtcNow());
        try
        {
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
                IdempotencyKey = key,
                RequestedBy = tenant.UserId,
                CreatedAt = now,
                UpdatedAt = now,
            }, cancellationToken);
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.Conflict && key is not null)
        {
            // A concurrent retry with the same key created it first.
            var winner = await tasks.ReadAsync(tenant.Id, taskId, cancellationToken)
                ?? throw new InvalidOperationException($"Task {taskId} conflicted on create but cannot be read.", e);
            return Replayed(winner, request);
        }
        catch
        {
            await gate.ReleaseAsync(tenant.Id, request.IntegrationId, taskId, CancellationToken.None);
            throw;
        }

        try
        {
            await publisher.PublishAsync(
                new SyncRequested(taskId, request.IntegrationId, request.Direction, request.EntityType, request.Filters, now),
                tenant.Id, new EventMetadata(UserId: Guid.TryParse(tenant.UserId, out _) ? tenant.UserId : null), cancellationToken);
        }
        catch (Exception e)
        {
            // Never leave a task pending that no runner will ever see, nor a window open for a sync that never ran.
            logger.LogError(e, "Could not enqueue sync task {TaskId}", taskId);
            await tasks.UpdateAsync(tenant.Id, taskId, t => t with
            {
                Status = SyncStatus.Failed, Error = "Could not enqueue the sync: message broker unavailable", CompletedAt = now, UpdatedAt = now,
            }, CancellationToken.None);
            await gate.ReleaseAsync(tenant.Id, request.IntegrationId, taskId, CancellationToken.None);
            return ApiError.Result(503, "DEPENDENCY_UNAVAILABLE", "The sync could not be queued; retry later");
        }

        return Results.Json(new TriggerAccepted(taskId, SyncStatus.Pending, "Sync task created and queued"), statusCode: 202);
    }

    private static IResult Replayed(SyncTaskDocument existing, TriggerSyncRequest request) =>
        existing.IntegrationId != request.IntegrationId || existing.Direction != request.Direction
            ? ApiError.Result(StatusCodes.Status422UnprocessableEntity, "IDEMPOTENCY_KEY_REUSED",
                "This Idempotency-Key was already used for a different sync request")
            : Results.Json(new TriggerAccepted(existing.TaskId ?? existing.Id, existing.Status ?? SyncStatus.Pending,
                "Sync task already exists for this Idempotency-Key"), statusCode: 202);

    private static async Task<IResult> GetAsync(string taskId, HttpContext http, SyncTaskRepository tasks, CancellationToken cancellationToken)
    {
        var task = await tasks.ReadAsync(Tenant.From(http).Id, taskId, cancellationToken);
        return task is null ? TaskNotFound() : Results.Ok(SyncTaskDto.From(task));
    }

    private static async Task<IResult> ListAsync(HttpContext http, SyncTaskRepository tasks, CancellationToken cancellationToken)
    {
        var query = new ListQuery(http.Request.Query, Tenant.From(http).Id, "taskId")
            .Uuid("integrationId", "integrationId")
            .OneOf("status", "status", Statuses)
            .OneOf("direction", "direction", SyncDirection.All)
            .Time("createdFrom", "createdAt", ">=")
            .Time("createdTo", "createdAt", "<=");
        var page = PageRequest.Read(http.Request.Query, query.Errors);
        if (page is null || query.Errors.Count > 0)
        {
            return ApiError.Validation(query.Errors);
        }
        var (items, next) = await tasks.QueryPageAsync(Tenant.From(http).Id, query.NewestFirst(), page.Limit, page.CosmosContinuation, cancellationToken);
        return Results.Ok(new Page<SyncTaskDto>(items.Select(SyncTaskDto.From).ToList(), PageRequest.Encode(next)));
    }

    /// <summary>Idempotent; never starts anything. The runner finishes a requested cancel at its next page.</summary>
    private static async Task<IResult> CancelAsync(
        string taskId, HttpContext http, SyncTaskRepository tasks, TimeProvider time, CancellationToken cancellationToken)
    {
        var tenantId = Tenant.From(http).Id;
        var now = IsoTime.Format(time.GetUtcNow());
        var changed = await tasks.UpdateAsync(tenantId, taskId, task => task.Status switch
        {
            SyncStatus.Pending => task with { Status = SyncStatus.Cancelled, CancelRequestedAt = now, CompletedAt = now, UpdatedAt = now },
            SyncStatus.Running or SyncStatus.Processing when task.CancelRequestedAt is null => task with { CancelRequestedAt = now, UpdatedAt = now },
            _ => null,
        }, cancellationToken);
        var task = changed ?? await tasks.ReadAsync(tenantId, taskId, cancellationToken);
        if (task is null)
        {
            return TaskNotFound();
        }
        return Results.Json(SyncTaskDto.From(task), statusCode: SyncStatus.IsFinal(task.Status) ? 200 : 202);
    }

    internal static IResult TaskNotFound() => ApiError.NotFound("TASK_NOT_FOUND", "Sync task not found");
}
