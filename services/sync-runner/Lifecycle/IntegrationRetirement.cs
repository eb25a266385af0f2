using IntegrationSync.Shared.Contracts;
using IntegrationSync.Shared.Messaging;
using IntegrationSync.Shared.Sync;
using IntegrationSync.Shared.SyncState;
using IntegrationSync.Shared.Webhooks;
using IntegrationSync.SyncRunner.Execution;
using IntegrationSync.SyncRunner.Intake;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Options;

namespace IntegrationSync.SyncRunner.Lifecycle;

/// <summary>
/// What the fleet holds for an integration integration-manager deleted or disabled: its running and waiting syncs are
/// cancelled (each run ends at its next page with its counts so far), and on delete its deferred triggers are dropped,
/// its webhook registrations disabled and its cursors and per-record sync state left to expire after
/// <c>runner.deleted_integration_retention_days</c>.
/// Every step is idempotent, so a redelivered event repeats it harmlessly.
/// </summary>
public sealed class IntegrationRetirement(
    SyncTaskRepository tasks,
    DeferredTriggers deferred,
    IntegrationCursors cursors,
    SyncRecordRepository records,
    WebhookRepository webhooks,
    IEventPublisher publisher,
    IOptions<RunnerOptions> options,
    TimeProvider time,
    ILogger<IntegrationRetirement> logger)
{
    public async Task RetireAsync(string tenantId, string integrationId, CancellationToken cancellationToken)
    {
        var cancelled = await CancelActiveSyncsAsync(tenantId, integrationId, cancellationToken);
        var dropped = 0;
        foreach (var trigger in await deferred.ForIntegrationAsync(tenantId, integrationId, cancellationToken))
        {
            dropped += await deferred.TryRemoveAsync(trigger, cancellationToken) ? 1 : 0;
        }
        var now = IsoTime.Format(time.GetUtcNow());
        var disabled = await webhooks.DisableForIntegrationAsync(tenantId, integrationId, "integration deleted", now, cancellationToken);
        var retention = TimeSpan.FromDays(options.Value.DeletedIntegrationRetentionDays);
        var cursorsExpiring = await cursors.ExpireAsync(tenantId, integrationId, retention, cancellationToken);
        var recordsExpiring = await records.ExpireIntegrationAsync(tenantId, integrationId, retention, cancellationToken);
        logger.LogInformation(
            "Integration {IntegrationId} deleted: {Cancelled} syncs cancelled, {Dropped} deferred triggers dropped, {Disabled} webhooks disabled, "
            + "{Cursors} cursors and {Records} sync records expire in {RetentionDays} days",
            integrationId, cancelled, dropped, disabled, cursorsExpiring, recordsExpiring, retention.TotalDays);
    }

    /// <summary>Requests the cancel of every task of the integration that is not final; the count of those.</summary>
    public async Task<int> CancelActiveSyncsAsync(string tenantId, string integrationId, CancellationToken cancellationToken)
    {
        var query = new QueryDefinition($"SELECT * FROM c WHERE {tasks.OfKind} AND c.tenantId = @tenantId AND c.integrationId = @integrationId "
                + "AND c.status IN (@pending, @running, @paused, @processing)")
            .WithParameter("@tenantId", tenantId)
            .WithParameter("@integrationId", integrationId)
            .WithParameter("@pending", SyncStatus.Pending)
            .WithParameter("@running", SyncStatus.Running)
            .WithParameter("@paused", SyncStatus.Paused)
            .WithParameter("@processing", SyncStatus.Processing);
        var active = await tasks.QueryAsync(tenantId, query, maxItems: null, cancellationToken);
        var now = IsoTime.Format(time.GetUtcNow());
        foreach (var task in active)
        {
            await TaskCancellation.RequestAsync(tasks, publisher, tenantId, task.Id, now, cancellationToken);
        }
        return active.Count;
    }
}
