using System.Net;
using System.Text.Json.Nodes;
using IntegrationSync.Shared.Configuration.Options;
using IntegrationSync.Shared.Contracts;
using IntegrationSync.Shared.Limits;
using IntegrationSync.Shared.Messaging;
using IntegrationSync.Shared.Sync;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Options;

namespace IntegrationSync.SyncRunner.Intake;

/// <summary>
/// Turns scheduled and webhook triggers into tasks and work messages. Inside the integration's minimum interval the
/// trigger is deferred to the window's end (coalesced), never dropped. The task id derives from the trigger, so a
/// redelivered trigger finds its task instead of creating a second one.
/// </summary>
public sealed class TaskIntake(
    SyncTaskRepository tasks,
    MinIntervalGate gate,
    DeferredTriggers deferred,
    IEventPublisher publisher,
    IOptions<SyncLimitsOptions> limits,
    TimeProvider time,
    ILogger<TaskIntake> logger)
{
    /// <summary>True when the task was created (or already existed); false when the trigger was deferred.</summary>
    public async Task<bool> CreateAsync(
        string tenantId, string triggerId, string integrationId, string? entityType, JsonObject? filters, string requestedBy,
        CancellationToken cancellationToken)
    {
        var taskId = WorkMessages.DeterministicGuid($"{tenantId}:{triggerId}:{entityType}");
        // The trigger holds the window, so every entity type of one scheduled trigger passes together.
        var window = await gate.TryOpenAsync(tenantId, integrationId, TimeSpan.FromMinutes(limits.Value.MinIntervalMinutes),
            $"trigger:{triggerId}", cancellationToken);
        if (!window.IsAllowed)
        {
            var dueAt = time.GetUtcNow() + window.RetryAfter;
            await deferred.DeferAsync(new DeferredTriggerDocument
            {
                Id = DeferredTriggerDocument.IdFor(integrationId, entityType), TenantId = tenantId, IntegrationId = integrationId,
                EntityType = entityType, Filters = filters, RequestedBy = requestedBy, DueAt = IsoTime.Format(dueAt),
            }, cancellationToken);
            logger.LogInformation("Integration {IntegrationId} synced recently; {RequestedBy} trigger deferred until {DueAt}",
                integrationId, requestedBy, IsoTime.Format(dueAt));
            return false;
        }

        var now = IsoTime.Format(time.GetUtcNow());
        var task = new SyncTaskDocument
        {
            Id = taskId, TaskId = taskId, TenantId = tenantId, IntegrationId = integrationId, Direction = SyncDirection.Inbound,
            Status = SyncStatus.Pending, EntityType = entityType, Filters = filters, RequestedBy = requestedBy, Managed = true, CreatedAt = now, UpdatedAt = now,
            TraceParent = System.Diagnostics.Activity.Current?.Id,
        };
        try
        {
            await tasks.CreateAsync(task, cancellationToken);
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.Conflict)
        {
            // Created by an earlier delivery that may have stopped before publishing: publish again while it is pending.
            if (await tasks.ReadAsync(tenantId, taskId, cancellationToken) is not { Status: SyncStatus.Pending })
            {
                return true;
            }
        }
        await publisher.PublishAsync(WorkMessages.For(task, time.GetUtcNow()), tenantId, cancellationToken: cancellationToken);
        return true;
    }
}
