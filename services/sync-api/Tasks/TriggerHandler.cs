using System.Net;
using System.Text.Json;
using IntegrationSync.Shared.Configuration.Options;
using IntegrationSync.Shared.Contracts;
using IntegrationSync.Shared.Limits;
using IntegrationSync.Shared.Messaging;
using IntegrationSync.Shared.Peers;
using IntegrationSync.Shared.Sync;
using IntegrationSync.SyncApi.Auth;
using IntegrationSync.SyncApi.Errors;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Options;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace IntegrationSync.SyncApi.Tasks;

/// <summary>
/// <c>POST /api/v1/sync/trigger</c>: validate, replay an <c>Idempotency-Key</c>, spend one of the tenant's trigger tokens,
/// check the integration with integration-manager, pass the min-interval gate, store the task, publish the work confirmed.
/// A failure after the gate closes the window again, so a retry is not refused.
/// </summary>
public sealed class TriggerHandler
{
    private static readonly TimeSpan CleanupBound = TimeSpan.FromSeconds(10);
    private const string PendingRetryAfterSeconds = "30";

    private TriggerHandler()
    {
    }

    /// <summary>Stores the task, then hands the run to the runner; 202 only once the broker confirmed the work message.</summary>
    public static async Task<IResult> TriggerAsync(
        HttpContext http, SyncTaskRepository tasks, MinIntervalGate gate, IOptions<SyncLimitsOptions> limits, IEventPublisher publisher,
        TriggerRateLimiter rates, IntegrationManagerClient integrations, TimeProvider time, ILogger<TriggerHandler> logger,
        CancellationToken cancellationToken)
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
        if (await rates.TryTakeAsync(tenant.Id, cancellationToken) is { } wait)
        {
            var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
            http.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return ApiError.Result(StatusCodes.Status429TooManyRequests, "RATE_LIMITED", $"Too many sync triggers for this tenant; retry in {seconds} s");
        }
        if (await CheckIntegrationAsync(integrations, tenant.Id, request.IntegrationId, logger, cancellationToken) is { } refused)
        {
            return refused;
        }
        if (await tasks.CountPendingAsync(tenant.Id, cancellationToken) >= limits.Value.MaxPendingPerTenant)
        {
            http.Response.Headers.RetryAfter = PendingRetryAfterSeconds;
            return ApiError.Result(StatusCodes.Status429TooManyRequests, "TOO_MANY_PENDING",
                $"This tenant already has {limits.Value.MaxPendingPerTenant} syncs waiting to start (sync_limits.max_pending_per_tenant); retry once some have started");
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
        var task = new SyncTaskDocument
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
            Managed = true,
            TraceParent = System.Diagnostics.Activity.Current?.Id,
            CreatedAt = now,
            UpdatedAt = now,
        };
        try
        {
            await tasks.CreateAsync(task, cancellationToken);
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.Conflict && key is not null)
        {
            // A concurrent retry with the same key created it first.
            var winner = await tasks.ReadAsync(tenant.Id, taskId, cancellationToken)
                ?? throw new InvalidOperationException($"Task {taskId} conflicted on create but cannot be read.", e);
            return Replayed(winner, request);
        }
        catch (Exception e)
        {
            // The create may still land after we gave up (timeout): make sure such a task cannot wait pending forever.
            logger.LogWarning("Could not store sync task {TaskId}: {Reason}", taskId, e.Message);
            await AbandonAsync(tasks, gate, tenant.Id, taskId, request.IntegrationId, now, "Could not store the sync task: database unavailable", logger);
            throw;
        }

        try
        {
            await publisher.PublishAsync(WorkMessages.For(task, time.GetUtcNow()), tenant.Id,
                new EventMetadata(UserId: Guid.TryParse(tenant.UserId, out _) ? tenant.UserId : null), cancellationToken);
        }
        catch (Exception e)
        {
            // Never leave a task pending that no runner will ever see, nor a window open for a sync that never ran.
            logger.LogError(e, "Could not enqueue sync task {TaskId}", taskId);
            await AbandonAsync(tasks, gate, tenant.Id, taskId, request.IntegrationId, now, "Could not enqueue the sync: message broker unavailable", logger);
            return ApiError.Result(503, "DEPENDENCY_UNAVAILABLE", "The sync could not be queued; retry later");
        }

        return Results.Json(new TriggerAccepted(taskId, SyncStatus.Pending, "Sync task created and queued"), statusCode: 202);
    }

    /// <summary>Null when integration-manager knows the tenant's integration; otherwise the 404, or a 503 when it cannot be asked.</summary>
    private static async Task<IResult?> CheckIntegrationAsync(
        IntegrationManagerClient integrations, string tenantId, string integrationId, ILogger logger, CancellationToken cancellationToken)
    {
        IntegrationLookup lookup;
        try
        {
            lookup = await integrations.FindAsync(tenantId, integrationId, cancellationToken);
        }
        catch (Exception e) when (e is PeerCallException or HttpRequestException or JsonException or TimeoutRejectedException or BrokenCircuitException
            || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            logger.LogWarning("Could not check integration {IntegrationId} with integration-manager: {Error}", integrationId, e.Message);
            return ApiError.Result(503, "DEPENDENCY_UNAVAILABLE", "integration-manager could not be asked about the integration; retry later");
        }
        return lookup.Integration is null ? ApiError.NotFound("INTEGRATION_NOT_FOUND", $"Integration not found: {lookup.Problem}") : null;
    }

    /// <summary>
    /// Marks a still-pending task failed and closes its min-interval window, within a bound of its own: the request's
    /// token may already be cancelled, and a dependency that is down must not make the answer hang.
    /// </summary>
    private static async Task AbandonAsync(
        SyncTaskRepository tasks, MinIntervalGate gate, string tenantId, string taskId, string integrationId, string now, string reason, ILogger logger)
    {
        using var bound = new CancellationTokenSource(CleanupBound);
        try
        {
            await tasks.UpdateAsync(tenantId, taskId, t => t.Status != SyncStatus.Pending ? null : t with
            {
                Status = SyncStatus.Failed, Error = reason, CompletedAt = now, UpdatedAt = now,
            }, bound.Token);
            await gate.ReleaseAsync(tenantId, integrationId, taskId, bound.Token);
        }
        catch (Exception e) when (e is CosmosException or OperationCanceledException or HttpRequestException)
        {
            logger.LogError("Could not mark sync task {TaskId} failed ({Reason}); it may stay pending: {Error}", taskId, reason, e.Message);
        }
    }

    private static IResult Replayed(SyncTaskDocument existing, TriggerSyncRequest request) =>
        existing.IntegrationId != request.IntegrationId || existing.Direction != request.Direction
            ? ApiError.Result(StatusCodes.Status422UnprocessableEntity, "IDEMPOTENCY_KEY_REUSED",
                "This Idempotency-Key was already used for a different sync request")
            : Results.Json(new TriggerAccepted(existing.TaskId ?? existing.Id, existing.Status ?? SyncStatus.Pending,
                "Sync task already exists for this Idempotency-Key"), statusCode: 202);
}
