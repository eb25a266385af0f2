using IntegrationSync.Shared.Configuration.Options;
using IntegrationSync.Shared.Contracts;
using IntegrationSync.Shared.Contracts.Commands;
using IntegrationSync.Shared.Messaging;
using IntegrationSync.Shared.Sync;
using IntegrationSync.SyncRunner.Publishing;
using IntegrationSync.SyncRunner.Slots;
using Microsoft.Extensions.Options;

namespace IntegrationSync.SyncRunner.Execution;

/// <summary>What the lifecycle hands on besides statuses: the next run's cursor, the tenant slot, and work for other runners.</summary>
public sealed class RunHandover(
    IntegrationCursors cursors,
    TenantSlots slots,
    WaitingWork waiting,
    SyncTaskRepository tasks,
    IEventPublisher publisher,
    IOptions<MappingOptions> mapping,
    IOptions<RunnerOptions> runner,
    TimeProvider time,
    ILogger<RunHandover> logger)
{
    /// <summary>
    /// After the last record: the next run's start (the cursor of a run that stopped early; else the adapter's watermark,
    /// or nothing so the next run reads everything), the slot held through mapping (until the final event frees it, at
    /// most the completion timeout), and the hand-over to completion tracking.
    /// </summary>
    public async Task AfterPublishingAsync(OwnedExecution owned, RunContext run, RunOutcome outcome, CancellationToken cancellationToken)
    {
        await cursors.SaveAsync(run.Key, outcome.Truncation is null ? outcome.Watermark : outcome.Cursor, owned.Execution, cancellationToken);
        await slots.RenewAsync(owned.TenantId, owned.ExecutionId, TimeSpan.FromSeconds(mapping.Value.CompletionTimeoutSeconds) + runner.Value.Lease,
            cancellationToken);
        await publisher.PublishAsync(new SyncProcessing(owned.TaskId, owned.ExecutionId, outcome.Published, outcome.Forwarded),
            owned.TenantId, new EventMetadata(CorrelationId: owned.ExecutionId), cancellationToken);
    }

    public Task FreeSlotAsync(OwnedExecution owned, CancellationToken cancellationToken) =>
        waiting.ReleaseAsync(owned.TenantId, owned.ExecutionId, cancellationToken);

    /// <summary>
    /// Asks any runner to resume the execution, in the trace it started in; best effort, since the reaper asks again for
    /// one nobody claims.
    /// </summary>
    public async Task RequestResumeAsync(ExecutionDocument execution, CancellationToken cancellationToken)
    {
        using var activity = MessagingTelemetry.StartExecutionStep(RunnerTelemetry.Source, "sync.resume", execution.TraceParent, execution.ExecutionId);
        try
        {
            if (await tasks.ReadAsync(execution.TenantId, execution.TaskId, cancellationToken) is { } task)
            {
                await publisher.PublishAsync(WorkMessages.For(task, time.GetUtcNow(), execution.ExecutionId), execution.TenantId,
                    new EventMetadata(CorrelationId: execution.ExecutionId), cancellationToken);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning("Could not ask for execution {ExecutionId} to be resumed ({Reason}); the reaper asks again", execution.ExecutionId, e.Message);
        }
    }
}
