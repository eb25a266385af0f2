using IntegrationSync.Shared.Configuration.Options;
using IntegrationSync.Shared.Contracts;
using IntegrationSync.Shared.Contracts.Commands;
using IntegrationSync.Shared.Contracts.Events;
using IntegrationSync.Shared.Limits;
using IntegrationSync.Shared.Messaging;
using IntegrationSync.Shared.Peers;
using IntegrationSync.Shared.Sync;
using IntegrationSync.SyncRunner.Adapters;
using IntegrationSync.SyncRunner.Publishing;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Options;

namespace IntegrationSync.SyncRunner.Execution;

/// <summary>
/// One execution of a task: take a tenant slot (or wait for one), stream the adapter's pages up to the record limit,
/// publish them confirmed with a checkpoint after each page, then hand over to completion tracking (<c>processing</c>).
/// A run that dies is resumed from its checkpoint by the reaper; cancel is honoured between pages.
/// </summary>
public sealed class SyncRun(
    SyncTaskRepository tasks,
    ExecutionRepository executions,
    ExecutionCompletion completion,
    TenantSlots slots,
    WaitingWorkDispatcher waiting,
    ExecutionFinisher finisher,
    IntegrationCursors cursors,
    IntegrationManagerClient integrationManager,
    AdapterRegistry adapters,
    AdapterConnectionResolver connections,
    CredentialRefresh credentials,
    IEventPublisher publisher,
    ServiceIdentity identity,
    IOptions<SyncLimitsOptions> limits,
    IOptions<MappingOptions> mapping,
    IOptions<RunnerOptions> runner,
    TimeProvider time,
    ILogger<SyncRun> logger)
{
    private const string DefaultEntityType = "opportunity";
    internal static readonly TimeSpan CancelCheckInterval = TimeSpan.FromSeconds(1);
    private const int ReadAheadPages = 1;

    public async Task ExecuteAsync(string tenantId, SyncRequested request, CancellationToken cancellationToken)
    {
        if (request.ResumeExecutionId is { } resume)
        {
            await ResumeAsync(tenantId, resume, cancellationToken);
            return;
        }
        if (await tasks.ReadAsync(tenantId, request.TaskId, cancellationToken) is not { Status: SyncStatus.Pending } pending)
        {
            logger.LogInformation("Task {TaskId} is missing or no longer pending; nothing to run", request.TaskId);
            return;
        }

        var executionId = Guid.NewGuid().ToString();
        if (!await slots.TryAcquireAsync(tenantId, pending.Id, executionId, runner.Value.Lease, force: false, cancellationToken))
        {
            // Another delivery of the same task may have started it meanwhile: then it must not stay in line.
            if (await tasks.ReadAsync(tenantId, pending.Id, cancellationToken) is not { Status: SyncStatus.Pending })
            {
                await slots.RemoveWaitingAsync(tenantId, pending.Id, cancellationToken);
                return;
            }
            logger.LogInformation("Tenant {TenantId} is at its concurrency limit; task {TaskId} waits for a slot", tenantId, pending.Id);
            return;
        }
        var now = Now();
        var task = await tasks.UpdateAsync(tenantId, pending.Id, t => t.Status != SyncStatus.Pending ? null : t with
        {
            Status = SyncStatus.Running, CurrentExecutionId = executionId, StartedAt = now, UpdatedAt = now,
        }, cancellationToken);
        if (task is null)
        {
            await waiting.ReleaseAsync(tenantId, executionId, cancellationToken);
            return;
        }

        var run = RunContextOf(task, executionId);
        var startCursor = await cursors.ReadAsync(run.Key, cancellationToken);
        var execution = await executions.CreateAsync(new ExecutionDocument
        {
            Id = executionId, ExecutionId = executionId, TaskId = task.Id, TenantId = tenantId, IntegrationId = run.IntegrationId,
            Direction = run.Direction, EntityType = run.EntityType, Status = SyncStatus.Running, StartCursor = startCursor, Cursor = startCursor,
            RunnerInstance = identity.Instance, HeartbeatAt = now, StartedAt = now, CreatedAt = now, UpdatedAt = now,
        }, cancellationToken);
        await publisher.PublishAsync(new SyncStarted(task.Id, run.IntegrationId, run.Direction, executionId),
            tenantId, new EventMetadata(CorrelationId: executionId), cancellationToken);
        await RunAsync(run, execution, cancellationToken);
    }

    /// <summary>Continues an execution the reaper released (its runner died) from its last checkpoint.</summary>
    private async Task ResumeAsync(string tenantId, string executionId, CancellationToken cancellationToken)
    {
        var now = Now();
        var execution = await executions.UpdateAsync(tenantId, executionId, e => e.Status != SyncStatus.Running || e.RunnerInstance is not null ? null : e with
        {
            RunnerInstance = identity.Instance, HeartbeatAt = now, UpdatedAt = now,
        }, cancellationToken);
        if (execution is null || await tasks.ReadAsync(tenantId, execution.TaskId, cancellationToken) is not { } task)
        {
            return;
        }
        logger.LogWarning("Resuming execution {ExecutionId} (attempt {Attempt}) from its checkpoint after {Published} records",
            executionId, execution.Attempt, execution.RecordsPublished);
        // It held a slot before its runner died; it keeps one even if newer work filled the others meanwhile.
        await slots.TryAcquireAsync(tenantId, task.Id, executionId, runner.Value.Lease, force: true, cancellationToken);
        await RunAsync(RunContextOf(task, executionId), execution, cancellationToken);
    }

    private async Task RunAsync(RunContext run, ExecutionDocument execution, CancellationToken cancellationToken)
    {
        await using var heartbeat = new ExecutionHeartbeat(run.TenantId, run.ExecutionId, slots, executions, runner.Value, time, logger);
        try
        {
            var outcome = await PublishRecordsAsync(run, execution, cancellationToken);
            await MarkProcessingAsync(run, outcome, cancellationToken);
            await completion.TryCompleteAsync(run.TenantId, run.ExecutionId, cancellationToken);
        }
        catch (SyncCancelledException)
        {
            logger.LogInformation("Execution {ExecutionId} cancelled", run.ExecutionId);
            await finisher.FinishAsync(run.TenantId, run.TaskId, run.ExecutionId, SyncStatus.Cancelled, "CANCELLED", "The sync was cancelled");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down mid-run: the execution stays running; the reaper resumes it from its checkpoint once its lease lapses.
            throw;
        }
        catch (Exception e)
        {
            var (code, message) = Classify(e);
            logger.LogError(e, "Sync task {TaskId} execution {ExecutionId} failed ({Code})", run.TaskId, run.ExecutionId, code);
            await finisher.FinishAsync(run.TenantId, run.TaskId, run.ExecutionId, SyncStatus.Failed, code, message);
        }
    }

    private async Task<RunOutcome> PublishRecordsAsync(RunContext run, ExecutionDocument execution, CancellationToken cancellationToken)
    {
        var integration = await integrationManager.GetIntegrationAsync(run.TenantId, run.IntegrationId, cancellationToken)
            ?? throw new SyncFailure("INTEGRATION_NOT_FOUND", $"Integration {run.IntegrationId} was not found in integration-manager");
        var adapter = adapters.Find(integration.ProviderName)
            ?? throw new SyncFailure("ADAPTER_NOT_SUPPORTED",
                $"No adapter for provider '{integration.ProviderName}' (supported: {string.Join(", ", adapters.Names)})");

        var connection = await connections.ResolveAsync(run.TenantId, integration, cancellationToken);
        var max = limits.Value.MaxRecordsPerSync;
        var publication = new RawRecordPublication(publisher, mapping.Value, run with { ProviderName = integration.ProviderName },
            execution.BatchMode, execution.RecordsPublished, execution.RecordsForwarded);
        var read = execution.RecordsPublished;
        var cursor = execution.Cursor;
        string? watermark = null;
        string? truncation = null;
        var refreshed = false;
        var pageRetry = new PageRetry(runner.Value, adapter.Descriptor.Name, time);
        var cancelCheckedAt = DateTimeOffset.MinValue;
        var inFlight = new Queue<PageInFlight>();
        var checkpoints = new CheckpointWriter<PageInFlight>(
            (page, ct) => CheckpointAsync(run, page, ct), runner.Value.CheckpointInterval, time, cancellationToken);
        for (var done = false; !done;)
        {
            try
            {
                var pages = adapter.ReadAsync(new AdapterReadRequest(connection, run.EntityType, run.Filters, cursor), cancellationToken);
                await foreach (var page in pages.ReadAhead(ReadAheadPages, cancellationToken))
                {
                    if (time.GetUtcNow() - cancelCheckedAt > CancelCheckInterval)
                    {
                        await ThrowIfCancelRequestedAsync(run, cancellationToken);
                        cancelCheckedAt = time.GetUtcNow();
                    }

                    var records = page.Records;
                    var next = page.NextCursor;
                    if (read + records.Count >= max)
                    {
                        truncation = read + records.Count > max || page.NextCursor is not null ? "record_limit" : null;
                        if (read + records.Count > max)
                        {
                            // Cut inside a page: the next run re-reads this page (at-least-once for its first records).
                            records = records.Take(max - read).ToList();
                            next = cursor;
                        }
                    }
                    read += records.Count;
                    // Pages overlap: the next is read and sent while earlier ones await their confirms.
                    inFlight.Enqueue(new PageInFlight(publication.AddPageAsync(records, cancellationToken), next,
                        publication.Published, publication.Forwarded, publication.BatchMode, Checkpoint: !publication.HoldsRecords));
                    cursor = next;
                    watermark = page.Watermark ?? watermark;
                    while (inFlight.Count > runner.Value.PagesInFlight)
                    {
                        await ConfirmOldestAsync(inFlight, checkpoints);
                    }
                    if (read >= max)
                    {
                        break;
                    }
                }
                done = true;
            }
            catch (AdapterException e) when (e.Kind == AdapterErrorKind.QuotaExhausted)
            {
                logger.LogWarning("Execution {ExecutionId} ends early: {Reason}", run.ExecutionId, e.Message);
                truncation = "quota_exhausted";
                done = true;
            }
            catch (AdapterException e) when (PageRetry.Handles(e))
            {
                if (pageRetry.Next(e, cursor) is { } wait)
                {
                    logger.LogWarning("Execution {ExecutionId} reads the page again in {Wait}: {Reason}", run.ExecutionId, wait, e.Message);
                    // Waiting at a checkpoint: a runner that dies meanwhile is resumed after every page read so far.
                    await DrainAsync(inFlight, checkpoints);
                    await pageRetry.WaitAsync(wait, ct => ThrowIfCancelRequestedAsync(run, ct), cancellationToken);
                }
                else
                {
                    logger.LogWarning("Execution {ExecutionId} ends early: the vendor asks to wait {RetryAfter}. {Reason}", run.ExecutionId, e.RetryAfter, e.Message);
                    truncation = "retry_after";
                    done = true;
                }
            }
            catch (AdapterException e) when (e.Kind == AdapterErrorKind.AuthExpired && !refreshed)
            {
                // One refresh, then one more try from the last page read.
                refreshed = true;
                connection = await credentials.RefreshAsync(run.TenantId, integration, connection, cancellationToken);
            }
            catch (AdapterException e) when (e.Kind == AdapterErrorKind.AuthExpired)
            {
                // The adapter's own advice (refresh the token) was already followed: only a new authorisation helps now.
                throw new AdapterException(AdapterErrorKind.AuthExpired,
                    $"The credentials of integration {integration.Id} were rejected again after a token refresh; reconnect the integration. {e.Message}", inner: e);
            }
        }
        await DrainAsync(inFlight, checkpoints);
        await publication.CompleteAsync(cancellationToken);
        return new RunOutcome(publication.Published, publication.Forwarded, truncation, cursor, watermark);
    }

    /// <summary>Waits for the oldest page's confirms, then checkpoints past it: checkpoints advance in page order only.</summary>
    private static async Task ConfirmOldestAsync(Queue<PageInFlight> inFlight, CheckpointWriter<PageInFlight> checkpoints)
    {
        var page = inFlight.Dequeue();
        await page.Confirmed;
        if (page.Checkpoint)
        {
            checkpoints.Advance(page);
        }
    }

    /// <summary>Every page still in flight confirmed, and the checkpoint past the last of them written.</summary>
    private static async Task DrainAsync(Queue<PageInFlight> inFlight, CheckpointWriter<PageInFlight> checkpoints)
    {
        while (inFlight.Count > 0)
        {
            await ConfirmOldestAsync(inFlight, checkpoints);
        }
        await checkpoints.FlushAsync();
    }

    private Task CheckpointAsync(RunContext run, PageInFlight page, CancellationToken cancellationToken) =>
        executions.PatchAsync(run.TenantId, run.ExecutionId,
        [
            PatchOperation.Set("/cursor", page.Cursor),
            PatchOperation.Set("/recordsPublished", page.PublishedAfter),
            PatchOperation.Set("/recordsForwarded", page.ForwardedAfter),
            PatchOperation.Set("/batchMode", page.BatchMode),
            PatchOperation.Set("/heartbeatAt", Now()),
        ], cancellationToken);

    private async Task ThrowIfCancelRequestedAsync(RunContext run, CancellationToken cancellationToken)
    {
        if (await tasks.ReadAsync(run.TenantId, run.TaskId, cancellationToken) is { CancelRequestedAt: not null })
        {
            throw new SyncCancelledException();
        }
    }

    private async Task MarkProcessingAsync(RunContext run, RunOutcome outcome, CancellationToken cancellationToken)
    {
        var now = Now();
        await executions.UpdateAsync(run.TenantId, run.ExecutionId, e => e with
        {
            Status = SyncStatus.Processing, RecordsPublished = outcome.Published, RecordsForwarded = outcome.Forwarded,
            Truncated = outcome.Truncation is not null, TruncationReason = outcome.Truncation, Cursor = outcome.Cursor, PublishedAt = now, UpdatedAt = now,
        }, cancellationToken);
        await tasks.UpdateAsync(run.TenantId, run.TaskId, t => t.CurrentExecutionId != run.ExecutionId ? null : t with
        {
            Status = SyncStatus.Processing, RecordsProcessed = outcome.Published, UpdatedAt = now,
        }, cancellationToken);
        // A run that stopped early leaves its cursor for the next one; a complete run leaves the adapter's watermark
        // (incremental adapters) or nothing (the next run reads everything again).
        await cursors.SaveAsync(run.Key, outcome.Truncation is null ? outcome.Watermark : outcome.Cursor, run.ExecutionId, now, cancellationToken);
        // Mapping results are still to come: the slot stays taken until completion, at most until the completion timeout.
        await slots.RenewAsync(run.TenantId, run.ExecutionId,
            TimeSpan.FromSeconds(mapping.Value.CompletionTimeoutSeconds) + runner.Value.Lease, cancellationToken);
        logger.LogInformation("Execution {ExecutionId} published {Count} records, {Forwarded} of them to non-CRM processors{Truncated}",
            run.ExecutionId, outcome.Published, outcome.Forwarded, outcome.Truncation is null ? "" : $" (stopped early: {outcome.Truncation})");
    }

    private static RunContext RunContextOf(SyncTaskDocument task, string executionId) => new(
        task.TenantId, task.IntegrationId ?? "", task.Id, executionId,
        task.EntityType is { Length: > 0 } entityType ? entityType : DefaultEntityType, task.Direction ?? SyncDirection.Inbound, task.Filters);

    private static (string Code, string Message) Classify(Exception e) => e switch
    {
        SyncFailure failure => (failure.Code, failure.Message),
        AdapterException { Kind: AdapterErrorKind.AuthExpired } auth => ("AUTH_EXPIRED", auth.Message),
        AdapterException { Kind: AdapterErrorKind.Permanent } permanent => ("ADAPTER_CONFIGURATION", permanent.Message),
        AdapterException adapter => ("ADAPTER_UNAVAILABLE", adapter.Message),
        PeerCallException { IsTransient: true } peer => ("PEER_UNAVAILABLE", peer.Message),
        PeerCallException peer => ("PEER_ERROR", peer.Message),
        HttpRequestException http => ("PEER_UNAVAILABLE", http.Message),
        UnroutableEventException or RabbitMQ.Client.Exceptions.PublishException => ("PUBLISH_FAILED", e.Message),
        _ => ("INTERNAL_ERROR", e.Message),
    };

    private string Now() => IsoTime.Format(time.GetUtcNow());

    private sealed record PageInFlight(Task Confirmed, string? Cursor, int PublishedAfter, int ForwardedAfter, bool BatchMode, bool Checkpoint);

    private sealed record RunOutcome(int Published, int Forwarded, string? Truncation, string? Cursor, string? Watermark);
}
