using System.Net;
using IntegrationSync.Shared.Contracts;
using IntegrationSync.Shared.Contracts.Events;
using IntegrationSync.Shared.Messaging;
using IntegrationSync.Shared.Storage;
using IntegrationSync.Shared.Sync;
using IntegrationSync.SyncRunner.Outbound;
using IntegrationSync.SyncRunner.Publishing;
using IntegrationSync.SyncRunner.Slots;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Options;

namespace IntegrationSync.SyncRunner.Execution;

/// <summary>
/// The runner's part of an execution's life, and the only runner code that writes its statuses:
/// pending → running (a start, or the resume of a released or paused execution) → processing | paused | failed | cancelled.
/// Each transition writes execution, then task, then event, then slot. While running, every write is fenced by the
/// execution's generation: a runner that lost the execution learns it at its next write (<see cref="LeaseLostException"/>),
/// and a final status is never overwritten. A processing execution is event-consumer's from then on.
/// </summary>
public sealed class RunLifecycle(
    ExecutionRepository executions,
    SyncTaskRepository tasks,
    ExecutionAnnouncer announcer,
    RunHandover handover,
    IEventPublisher publisher,
    CosmosRetry retry,
    ServiceIdentity identity,
    TimeProvider time,
    ILogger<RunLifecycle> logger)
{
    /// <summary>Creates the task's execution owned by this runner and marks the task running; null when it exists already.</summary>
    public async Task<OwnedExecution?> StartAsync(SyncTaskDocument task, RunContext run, string? startCursor, CancellationToken cancellationToken)
    {
        var now = Now();
        var created = await retry.ExecuteAsync(async t => await executions.TryCreateAsync(new ExecutionDocument
        {
            Id = run.ExecutionId, ExecutionId = run.ExecutionId, TaskId = task.Id, TenantId = task.TenantId, IntegrationId = run.IntegrationId,
            Direction = run.Direction, EntityType = run.EntityType, Status = SyncStatus.Running, StartCursor = startCursor, Cursor = startCursor,
            Managed = true, Generation = 1, RunnerInstance = identity.Instance, HeartbeatAt = now, StartedAt = now, CreatedAt = now, UpdatedAt = now,
            TraceParent = System.Diagnostics.Activity.Current?.Id,
        }, t), cancellationToken);
        if (created is null)
        {
            // An earlier delivery created it: its owner runs it, or the reaper resumes it once its heartbeat stops.
            return null;
        }
        var owned = new OwnedExecution(created);
        var started = await retry.ExecuteAsync(async t => await tasks.UpdateAsync(task.TenantId, task.Id, current =>
            current.Status != SyncStatus.Pending ? null : current with
            {
                Status = SyncStatus.Running, CurrentExecutionId = run.ExecutionId, StartedAt = now, UpdatedAt = now, WaitingSince = null,
            }, t), cancellationToken);
        if (started is null)
        {
            // Paused or cancelled while it started: the execution does what its task asks.
            var current = await tasks.ReadAsync(task.TenantId, task.Id, cancellationToken);
            await (current?.Status == SyncStatus.Paused ? PauseAsync(owned, cancellationToken) : CancelAsync(owned, cancellationToken));
            return null;
        }
        await AnnounceStartAsync(owned, cancellationToken);
        return owned;
    }

    /// <summary>Takes over an execution nobody owns (released, or paused and resumed); null when another runner was faster.</summary>
    public async Task<OwnedExecution?> ClaimAsync(string tenantId, string executionId, CancellationToken cancellationToken)
    {
        var now = Now();
        var claimed = await retry.ExecuteAsync(async t => await executions.UpdateAsync(tenantId, executionId, e =>
            e is { Managed: true, RunnerInstance: null, Status: SyncStatus.Running or SyncStatus.Paused }
                ? e with
                {
                    Status = SyncStatus.Running, RunnerInstance = identity.Instance, Generation = e.Generation + 1, HeartbeatAt = now, PausedAt = null,
                    UpdatedAt = now,
                }
                : null, t), cancellationToken);
        if (claimed is null)
        {
            return null;
        }
        var owned = new OwnedExecution(claimed);
        await retry.ExecuteAsync(async t => await tasks.UpdateAsync(tenantId, claimed.TaskId, task => SyncStatus.IsFinal(task.Status) ? null : task with
        {
            Status = SyncStatus.Running, CurrentExecutionId = executionId, StartedAt = task.StartedAt ?? now, WaitingSince = null, UpdatedAt = now,
        }, t), cancellationToken);
        logger.LogWarning("Resuming execution {ExecutionId} (attempt {Attempt}, generation {Generation}) from its checkpoint after {Published} records",
            executionId, claimed.Attempt, claimed.Generation, claimed.RecordsPublished);
        if (!claimed.StartAnnounced)
        {
            await AnnounceStartAsync(owned, cancellationToken);
        }
        return owned;
    }

    /// <remarks>Cosmos DB takes at most 10 operations in one patch; a checkpoint with the bidirectional tally uses all 10.</remarks>
    public Task CheckpointAsync(OwnedExecution owned, Checkpoint checkpoint, CancellationToken cancellationToken) =>
        FencedAsync(owned,
        [
            PatchOperation.Set("/cursor", checkpoint.Cursor),
            PatchOperation.Set("/recordsPublished", checkpoint.Published),
            PatchOperation.Set("/recordsForwarded", checkpoint.Forwarded),
            PatchOperation.Set("/recordsResent", checkpoint.Resent),
            PatchOperation.Set("/batchMode", checkpoint.BatchMode),
            PatchOperation.Set("/apiCalls", checkpoint.ApiCalls),
            PatchOperation.Set("/deletions", checkpoint.Deletions),
            .. checkpoint.Tally is { } tally ? TallyOperations(tally) : [],
        ], expectedStatus: null, cancellationToken);

    /// <summary>The execution's bidirectional counts (pushes of an outbound or bidirectional run), a write of its own.</summary>
    public Task RecordTallyAsync(OwnedExecution owned, OutboundTally tally, CancellationToken cancellationToken) =>
        FencedAsync(owned, TallyOperations(tally), expectedStatus: null, cancellationToken);

    private static PatchOperation[] TallyOperations(OutboundTally tally) =>
    [
        PatchOperation.Set("/recordsPushed", tally.Pushed),
        PatchOperation.Set("/conflicts", tally.Conflicts),
        PatchOperation.Set("/echoesSkipped", tally.EchoesSkipped),
    ];

    public Task HeartbeatAsync(OwnedExecution owned, CancellationToken cancellationToken) =>
        FencedAsync(owned, [PatchOperation.Set("/heartbeatAt", Now())], expectedStatus: null, cancellationToken);

    /// <summary>
    /// Every record is published: completion tracking takes over. Nothing after the status write may fail the execution.
    /// (A patch carries at most 10 operations, in Cosmos DB as in the test server.)
    /// </summary>
    public async Task MarkProcessingAsync(OwnedExecution owned, RunContext run, RunOutcome outcome, CancellationToken cancellationToken)
    {
        var now = Now();
        await FencedAsync(owned,
        [
            PatchOperation.Set("/status", SyncStatus.Processing),
            PatchOperation.Set("/recordsPublished", outcome.Published),
            PatchOperation.Set("/recordsForwarded", outcome.Forwarded),
            PatchOperation.Set("/recordsResent", outcome.Resent),
            PatchOperation.Set("/truncated", outcome.Truncation is not null),
            PatchOperation.Set("/truncationReason", outcome.Truncation),
            PatchOperation.Set("/cursor", outcome.Cursor),
            PatchOperation.Set("/providerName", run.ProviderName),
            PatchOperation.Set("/publishedAt", now),
            PatchOperation.Set("/updatedAt", now),
        ], SyncStatus.Processing, cancellationToken);
        logger.LogInformation("Execution {ExecutionId} published {Count} records, {Forwarded} of them to non-CRM processors{Truncated}",
            owned.ExecutionId, outcome.Published, outcome.Forwarded, outcome.Truncation is null ? "" : $" (stopped early: {outcome.Truncation})");
        try
        {
            await tasks.UpdateAsync(owned.TenantId, owned.TaskId, t => t.CurrentExecutionId != owned.ExecutionId || SyncStatus.IsFinal(t.Status) ? null : t with
            {
                Status = SyncStatus.Processing, RecordsProcessed = outcome.Published, UpdatedAt = now,
            }, cancellationToken);
            await handover.AfterPublishingAsync(owned, run, outcome, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Execution {ExecutionId} is processing but its follow-up writes failed; the completion sweep finishes it", owned.ExecutionId);
        }
    }

    /// <summary>Stops between pages on request, keeping the checkpoint; the slot goes to waiting work until the task is resumed.</summary>
    public async Task PauseAsync(OwnedExecution owned, CancellationToken cancellationToken)
    {
        var now = Now();
        await FencedAsync(owned,
        [
            PatchOperation.Set("/status", SyncStatus.Paused),
            PatchOperation.Set<string?>("/runnerInstance", null),
            PatchOperation.Set("/pausedAt", now),
            PatchOperation.Set("/updatedAt", now),
        ], SyncStatus.Paused, cancellationToken);
        await retry.ExecuteAsync(async t => await tasks.UpdateAsync(owned.TenantId, owned.TaskId, task =>
            task.CurrentExecutionId != owned.ExecutionId || SyncStatus.IsFinal(task.Status) ? null : task with { Status = SyncStatus.Paused, UpdatedAt = now }, t),
            cancellationToken);
        await handover.FreeSlotAsync(owned, cancellationToken);
        logger.LogInformation("Execution {ExecutionId} paused at its checkpoint", owned.ExecutionId);
    }

    public Task FailAsync(OwnedExecution owned, string code, string message, CancellationToken cancellationToken) =>
        EndAsync(owned, SyncStatus.Failed, code, message, cancellationToken);

    public Task CancelAsync(OwnedExecution owned, CancellationToken cancellationToken) =>
        EndAsync(owned, SyncStatus.Cancelled, "CANCELLED", "The sync was cancelled", cancellationToken);

    /// <summary>Hands the execution back unfinished (shutdown, a broker outage past its bound): any runner resumes it from its checkpoint.</summary>
    public async Task ReleaseAsync(OwnedExecution owned, CancellationToken cancellationToken)
    {
        await FencedAsync(owned, [PatchOperation.Set<string?>("/runnerInstance", null), PatchOperation.Set("/updatedAt", Now())],
            expectedStatus: null, cancellationToken);
        logger.LogWarning("Execution {ExecutionId} released at its checkpoint for another runner to resume", owned.ExecutionId);
        await handover.RequestResumeAsync(owned.Execution, cancellationToken);
    }

    /// <summary>
    /// A running execution whose runner went silent past its lease: released for any runner to resume (one more attempt),
    /// or failed <c>RUNNER_LOST</c> once <paramref name="maxAttempts"/> were spent. The generation moves on either way, so
    /// the silent runner, should it come back, is fenced off at its next write.
    /// </summary>
    public async Task ReapAsync(ExecutionDocument stale, string silentSince, int maxAttempts, CancellationToken cancellationToken)
    {
        var now = Now();
        var giveUp = stale.Attempt >= maxAttempts;
        var reaped = await executions.UpdateAsync(stale.TenantId, stale.ExecutionId, e =>
            e.Status != SyncStatus.Running || e.Generation != stale.Generation || string.CompareOrdinal(e.HeartbeatAt, silentSince) >= 0
                ? null
                : giveUp
                    ? e with
                    {
                        Status = SyncStatus.Failed, ErrorCode = "RUNNER_LOST", Generation = e.Generation + 1, RunnerInstance = null,
                        Error = $"The runner stopped responding {e.Attempt} times; giving up after {maxAttempts} attempts", CompletedAt = now, UpdatedAt = now,
                    }
                    : e with { Attempt = e.Attempt + 1, Generation = e.Generation + 1, RunnerInstance = null, UpdatedAt = now },
            cancellationToken);
        if (reaped is null)
        {
            return;
        }
        if (giveUp)
        {
            logger.LogError("Execution {ExecutionId} lost its runner {Attempts} times; failing it", reaped.ExecutionId, reaped.Attempt);
            await announcer.AnnounceAsync(reaped, cancellationToken);
            return;
        }
        logger.LogWarning("Execution {ExecutionId} lost its runner; resuming it (attempt {Attempt})", reaped.ExecutionId, reaped.Attempt);
        await handover.RequestResumeAsync(reaped, cancellationToken);
    }

    /// <summary>A paused execution's task was cancelled: it ends cancelled (it holds no slot).</summary>
    public async Task CancelPausedAsync(string tenantId, string executionId, CancellationToken cancellationToken)
    {
        var now = Now();
        var cancelled = await executions.UpdateAsync(tenantId, executionId, e => e is not { Managed: true, Status: SyncStatus.Paused } ? null : e with
        {
            Status = SyncStatus.Cancelled, ErrorCode = "CANCELLED", Error = "The sync was cancelled", Generation = e.Generation + 1,
            CompletedAt = now, UpdatedAt = now,
        }, cancellationToken);
        if (cancelled is not null)
        {
            await announcer.AnnounceAsync(cancelled, cancellationToken);
        }
    }

    private async Task EndAsync(OwnedExecution owned, string status, string code, string message, CancellationToken cancellationToken)
    {
        var now = Now();
        var ended = await FencedAsync(owned,
        [
            PatchOperation.Set("/status", status),
            PatchOperation.Set("/errorCode", code),
            PatchOperation.Set("/error", message),
            PatchOperation.Set<string?>("/runnerInstance", null),
            PatchOperation.Set("/completedAt", now),
            PatchOperation.Set("/updatedAt", now),
        ], status, cancellationToken);
        await retry.ExecuteAsync(async t => await announcer.AnnounceAsync(ended, t), cancellationToken);
    }

    private async Task AnnounceStartAsync(OwnedExecution owned, CancellationToken cancellationToken)
    {
        var execution = owned.Execution;
        await publisher.PublishAsync(new SyncStarted(owned.TaskId, execution.IntegrationId ?? "", execution.Direction ?? SyncDirection.Inbound, owned.ExecutionId),
            owned.TenantId, new EventMetadata(CorrelationId: owned.ExecutionId), cancellationToken);
        await FencedAsync(owned, [PatchOperation.Set("/startAnnounced", true)], expectedStatus: null, cancellationToken);
    }

    /// <summary>A write that holds only while this runner's generation owns the running execution.</summary>
    private async Task<ExecutionDocument> FencedAsync(
        OwnedExecution owned, IReadOnlyList<PatchOperation> operations, string? expectedStatus, CancellationToken cancellationToken)
    {
        var fence = $"FROM c WHERE c.generation = {owned.Generation} AND c.status = '{SyncStatus.Running}'";
        try
        {
            return await retry.ExecuteAsync(async t => await executions.PatchAsync(owned.TenantId, owned.ExecutionId, operations, fence, t), cancellationToken);
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.PreconditionFailed)
        {
            // A status write whose answer was lost and that was sent again finds its own result.
            if (expectedStatus is not null && await executions.ReadAsync(owned.TenantId, owned.ExecutionId, cancellationToken) is { } current
                && current.Generation == owned.Generation && current.Status == expectedStatus)
            {
                return current;
            }
            RunnerTelemetry.LeasesLost.Add(1);
            logger.LogWarning("Execution {ExecutionId} is no longer owned by generation {Generation} of runner {Runner}; the run stops",
                owned.ExecutionId, owned.Generation, identity.Instance);
            throw new LeaseLostException(owned.ExecutionId, owned.Generation);
        }
    }

    private string Now() => IsoTime.Format(time.GetUtcNow());
}

/// <param name="Tally">The bidirectional counts, for a run of an integration that takes writes back.</param>
public sealed record Checkpoint(
    string? Cursor, int Published, int Forwarded, int Resent, bool BatchMode, int ApiCalls, ExecutionDeletions? Deletions,
    OutboundTally? Tally = null);

public sealed record RunOutcome(int Published, int Forwarded, int Resent, string? Truncation, string? Cursor, string? Watermark)
{
    /// <summary>A run that read nothing (an outbound-only execution): the integration's cursor stays where it was.</summary>
    public static RunOutcome Unread(ExecutionDocument execution) =>
        new(execution.RecordsPublished, execution.RecordsForwarded, execution.RecordsResent, null, execution.Cursor, execution.StartCursor);
}
