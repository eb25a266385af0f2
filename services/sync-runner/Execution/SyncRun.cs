using IntegrationSync.Shared.Configuration.Options;
using IntegrationSync.Shared.Contracts;
using IntegrationSync.Shared.Contracts.Events;
using IntegrationSync.Shared.Messaging;
using IntegrationSync.Shared.Peers;
using IntegrationSync.Shared.Sync;
using IntegrationSync.SyncRunner.Adapters;
using IntegrationSync.SyncRunner.Publishing;
using Microsoft.Extensions.Options;

namespace IntegrationSync.SyncRunner.Execution;

/// <summary>
/// One execution of a task: claim it, read the integration, stream the adapter's pages up to the record
/// limit, publish them confirmed, then hand over to completion tracking (<c>processing</c>).
/// </summary>
public sealed class SyncRun(
    SyncTaskRepository tasks,
    ExecutionRepository executions,
    ExecutionCompletion completion,
    IntegrationManagerClient integrationManager,
    AdapterRegistry adapters,
    IEventPublisher publisher,
    IOptions<SyncLimitsOptions> limits,
    IOptions<MappingOptions> mapping,
    TimeProvider time,
    ILogger<SyncRun> logger)
{
    private const string DefaultEntityType = "opportunity";

    public async Task ExecuteAsync(string tenantId, string taskId, CancellationToken cancellationToken)
    {
        var executionId = Guid.NewGuid().ToString();
        var now = Now();
        var task = await tasks.UpdateAsync(tenantId, taskId, t => t.Status != SyncStatus.Pending ? null : t with
        {
            Status = SyncStatus.Running, CurrentExecutionId = executionId, StartedAt = now, UpdatedAt = now,
        }, cancellationToken);
        if (task is null)
        {
            logger.LogInformation("Task {TaskId} is missing or no longer pending; nothing to run", taskId);
            return;
        }

        var run = new RunContext(tenantId, task.IntegrationId ?? "", taskId, executionId,
            task.EntityType ?? DefaultEntityType, task.Direction ?? SyncDirection.Inbound, task.Filters);
        var execution = await executions.CreateAsync(new ExecutionDocument
        {
            Id = executionId, ExecutionId = executionId, TaskId = taskId, TenantId = tenantId, IntegrationId = run.IntegrationId,
            Direction = run.Direction, EntityType = run.EntityType, Status = SyncStatus.Running,
            StartedAt = now, CreatedAt = now, UpdatedAt = now,
        }, cancellationToken);

        try
        {
            await publisher.PublishAsync(new SyncStarted(taskId, run.IntegrationId, run.Direction, executionId),
                tenantId, new EventMetadata(CorrelationId: executionId), cancellationToken);
            var (published, truncated) = await PublishRecordsAsync(run, cancellationToken);
            await MarkProcessingAsync(run, published, truncated, cancellationToken);
            await completion.TryCompleteAsync(tenantId, executionId, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down mid-run: give the task back so the redelivered request runs it again.
            await FinishAsync(run, execution, SyncStatus.Failed, "INTERRUPTED", "The runner stopped during the sync", SyncStatus.Pending);
            throw;
        }
        catch (Exception e)
        {
            var (code, message) = Classify(e);
            logger.LogError(e, "Sync task {TaskId} execution {ExecutionId} failed ({Code})", taskId, executionId, code);
            await FinishAsync(run, execution, SyncStatus.Failed, code, message, SyncStatus.Failed);
            await publisher.PublishAsync(new SyncFailed(taskId, executionId, message, code), tenantId,
                new EventMetadata(CorrelationId: executionId), CancellationToken.None);
        }
    }

    private async Task<(int Published, bool Truncated)> PublishRecordsAsync(RunContext run, CancellationToken cancellationToken)
    {
        var integration = await integrationManager.GetIntegrationAsync(run.TenantId, run.IntegrationId, cancellationToken)
            ?? throw new SyncFailure("INTEGRATION_NOT_FOUND", $"Integration {run.IntegrationId} was not found in integration-manager");
        var adapter = adapters.Find(integration.ProviderName)
            ?? throw new SyncFailure("ADAPTER_NOT_SUPPORTED",
                $"No adapter for provider '{integration.ProviderName}' (supported: {string.Join(", ", adapters.Names)})");

        var max = limits.Value.MaxRecordsPerSync;
        var publication = new RawRecordPublication(publisher, mapping.Value, run);
        var fetched = 0;
        var truncated = false;
        await foreach (var page in adapter.ReadAsync(new AdapterReadRequest(new AdapterConnection(integration, AdapterCredentials.None), run.EntityType, run.Filters, Cursor: null), cancellationToken))
        {
            var records = page.Records;
            if (fetched + records.Count >= max)
            {
                truncated = fetched + records.Count > max || page.NextCursor is not null;
                records = records.Take(max - fetched).ToList();
            }
            fetched += records.Count;
            await publication.AddPageAsync(records, cancellationToken);
            if (fetched >= max)
            {
                break;
            }
        }
        await publication.CompleteAsync(cancellationToken);
        return (publication.Published, truncated);
    }

    private async Task MarkProcessingAsync(RunContext run, int published, bool truncated, CancellationToken cancellationToken)
    {
        var now = Now();
        await executions.UpdateAsync(run.TenantId, run.ExecutionId, e => e with
        {
            Status = SyncStatus.Processing, RecordsPublished = published, Truncated = truncated, PublishedAt = now, UpdatedAt = now,
        }, cancellationToken);
        await tasks.UpdateAsync(run.TenantId, run.TaskId, t => t.CurrentExecutionId != run.ExecutionId ? null : t with
        {
            Status = SyncStatus.Processing, RecordsProcessed = published, UpdatedAt = now,
        }, cancellationToken);
        logger.LogInformation("Execution {ExecutionId} published {Count} records{Truncated}",
            run.ExecutionId, published, truncated ? " (truncated at the record limit)" : "");
    }

    private async Task FinishAsync(RunContext run, ExecutionDocument execution, string executionStatus, string code, string message, string taskStatus)
    {
        var now = Now();
        await executions.UpdateAsync(run.TenantId, execution.Id, e => e with
        {
            Status = executionStatus, Error = message, ErrorCode = code, CompletedAt = now, UpdatedAt = now,
        }, CancellationToken.None);
        await tasks.UpdateAsync(run.TenantId, run.TaskId, t => t.CurrentExecutionId != run.ExecutionId ? null : t with
        {
            Status = taskStatus,
            Error = taskStatus == SyncStatus.Failed ? message : null,
            CompletedAt = taskStatus == SyncStatus.Failed ? now : null,
            UpdatedAt = now,
        }, CancellationToken.None);
    }

    private static (string Code, string Message) Classify(Exception e) => e switch
    {
        SyncFailure failure => (failure.Code, failure.Message),
        PeerCallException { IsTransient: true } peer => ("PEER_UNAVAILABLE", peer.Message),
        PeerCallException peer => ("PEER_ERROR", peer.Message),
        HttpRequestException http => ("PEER_UNAVAILABLE", http.Message),
        UnroutableEventException or RabbitMQ.Client.Exceptions.PublishException => ("PUBLISH_FAILED", e.Message),
        _ => ("INTERNAL_ERROR", e.Message),
    };

    private string Now() => IsoTime.Format(time.GetUtcNow());
}
