using IntegrationSync.EventConsumer.Statistics;
using IntegrationSync.Shared.Contracts;
using IntegrationSync.Shared.Messaging;
using IntegrationSync.Shared.Storage;
using IntegrationSync.Shared.Sync;

namespace IntegrationSync.EventConsumer.Completion;

/// <summary>
/// event-consumer's part of an execution's life, and the only code here that writes its statuses:
/// processing → completed | failed (<c>MAPPING_RESULTS_MISSING</c>) | cancelled. Each transition is an ETag-guarded
/// replace of a processing execution, so exactly one caller makes it; the announcer then mirrors it on the task and
/// publishes the final event, on which the runner frees the tenant slot. Records forwarded to the non-CRM processors get
/// no mapping result and are not waited for; they count as processed.
/// </summary>
public sealed class CompletionLifecycle(
    ExecutionRepository executions,
    ExecutionTallyRepository tallies,
    ExecutionAnnouncer announcer,
    CosmosRetry retry,
    TimeProvider time,
    ILogger<CompletionLifecycle> logger)
{
    private const int MaxRaces = 10;
    private static readonly System.Diagnostics.ActivitySource Source = new(Shared.Hosting.ServiceDefaults.TelemetryPrefix + "Completion");

    /// <summary>Completes the execution once every published CRM record has a result; false while results are missing.</summary>
    public Task<bool> TryCompleteAsync(string tenantId, string executionId, CancellationToken cancellationToken) =>
        EndAsync(tenantId, executionId, (execution, totals, now) => totals.Total < ResultsExpected(execution) ? null : Counted(execution, totals, now) with
        {
            Status = SyncStatus.Completed,
        }, cancellationToken);

    /// <summary>
    /// Results stopped arriving: the execution fails with <c>MAPPING_RESULTS_MISSING</c>, keeping the counts it has and the
    /// number missing. Failed rather than completed, because records were sent that nobody confirmed stored.
    /// </summary>
    public Task<bool> TimeOutAsync(string tenantId, string executionId, CancellationToken cancellationToken) =>
        EndAsync(tenantId, executionId, (execution, totals, now) =>
        {
            var expected = ResultsExpected(execution);
            var missing = Math.Max(0, expected - totals.Total);
            return Counted(execution, totals, now) with
            {
                Status = SyncStatus.Failed, ErrorCode = "MAPPING_RESULTS_MISSING", RecordsMissing = missing,
                Error = $"{missing} of {expected} records had no mapping result before the completion timeout",
            };
        }, cancellationToken);

    /// <summary>The task's cancel reached a processing execution: it ends cancelled with what was counted; later results change nothing.</summary>
    public Task<bool> CancelAsync(string tenantId, string executionId, CancellationToken cancellationToken) =>
        EndAsync(tenantId, executionId, (execution, totals, now) => Counted(execution, totals, now) with
        {
            Status = SyncStatus.Cancelled, ErrorCode = "CANCELLED", Error = "The sync was cancelled",
        }, cancellationToken);

    /// <summary>When the execution last made progress: its last counted result, else the end of publishing.</summary>
    public async Task<DateTimeOffset?> LastProgressAsync(ExecutionDocument execution, CancellationToken cancellationToken)
    {
        var published = IsoTime.Parse(execution.PublishedAt);
        var counted = (await tallies.ReadTotalsAsync(execution.TenantId, execution.ExecutionId, cancellationToken)).LastCountedAt;
        return counted > published || published is null ? counted : published;
    }

    private async Task<bool> EndAsync(
        string tenantId, string executionId, Func<ExecutionDocument, TallyTotals, string, ExecutionDocument?> end, CancellationToken cancellationToken)
    {
        for (var race = 0; race < MaxRaces; race++)
        {
            var execution = await executions.ReadAsync(tenantId, executionId, cancellationToken);
            if (execution is not { Managed: true, Status: SyncStatus.Processing })
            {
                return false;
            }
            var totals = await tallies.ReadTotalsAsync(tenantId, executionId, cancellationToken);
            if (end(execution, totals, IsoTime.Format(time.GetUtcNow())) is not { } ended)
            {
                return false;
            }
            if (await executions.TryReplaceAsync(ended, cancellationToken) is not { } stored)
            {
                continue;
            }
            using var activity = MessagingTelemetry.StartExecutionStep(Source, $"sync.{stored.Status}", stored.TraceParent, executionId);
            tallies.Forget(tenantId, executionId);
            await retry.ExecuteAsync(async t => await announcer.AnnounceAsync(stored, t), cancellationToken);
            logger.LogInformation("Execution {ExecutionId} of task {TaskId} {Status}: {Created} created, {Updated} updated, {Failed} failed, {Forwarded} forwarded",
                executionId, stored.TaskId, stored.Status, stored.RecordsCreated, stored.RecordsUpdated, stored.RecordsFailed, stored.RecordsForwarded);
            return true;
        }
        return false;
    }

    /// <summary>The execution with its counts: every record with a mapping result, plus those forwarded to processors that report none.</summary>
    private static ExecutionDocument Counted(ExecutionDocument execution, TallyTotals totals, string now) => execution with
    {
        RecordsProcessed = totals.Total + execution.RecordsForwarded,
        RecordsCreated = totals.Created,
        RecordsUpdated = totals.Updated,
        RecordsFailed = totals.Failed,
        CompletedAt = now,
        UpdatedAt = now,
    };

    private static int ResultsExpected(ExecutionDocument execution) => execution.RecordsPublished - execution.RecordsForwarded;
}
