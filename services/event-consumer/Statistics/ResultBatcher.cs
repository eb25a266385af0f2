using System.Threading.Channels;
using IntegrationSync.EventConsumer.Completion;
using IntegrationSync.Shared.Contracts.Events;
using IntegrationSync.Shared.Hosting;
using IntegrationSync.Shared.Sync;
using Microsoft.Extensions.Options;

namespace IntegrationSync.EventConsumer.Statistics;

/// <summary>
/// Coalesces mapping results: the handlers of many deliveries wait here while their results are written
/// as one update per execution tally; each handler returns (and its message is acked) only once
/// its result is durably counted. A failed write fails exactly the handlers of that execution's batch.
/// Several batches are written at once (an execution's writes still queue on its tally's gate), so one fills while others are written.
/// </summary>
public sealed class ResultBatcher(
    ExecutionResolver resolver,
    ExecutionTallyRepository tallies,
    CompletionChecks completionChecks,
    FleetMetrics metrics,
    IOptions<StatisticsOptions> options,
    ILogger<ResultBatcher> logger) : BackgroundService
{
    // Bounds a flush's Cosmos calls: one that hangs would hold its shard and its handlers until shutdown.
    private static readonly TimeSpan FlushTimeout = TimeSpan.FromMinutes(2);
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });

    public Task CountAsync(MappingResult result, CancellationToken cancellationToken)
    {
        if (result.SyncTaskId == DataRaw.PushTaskId)
        {
            PushedRecordResult(result);
            return Task.CompletedTask;
        }
        var pending = new Pending(result, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_queue.Writer.TryWrite(pending))
        {
            throw new InvalidOperationException("The statistics batcher has stopped.");
        }
        return pending.Counted.Task.WaitAsync(cancellationToken);
    }

    /// <summary>A vendor record a push took into its shard through the mapper: no execution's result, shown in the metrics and, failed, in the log.</summary>
    private void PushedRecordResult(MappingResult result)
    {
        if (result.Outcome != MappingOutcome.Failed)
        {
            metrics.RecordsMapped(1);
            return;
        }
        metrics.RecordsFailed("mapping", 1);
        logger.LogWarning("The mapper could not apply a vendor record a push took into its shard ({Key}): {Error}; the shard keeps its values until the record changes again",
            result.Key, result.Error);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var flushSlots = new SemaphoreSlim(options.Value.ConcurrentFlushes);
        // Runs until the writer completes at shutdown, after the consumer drained, so no waiting handler is abandoned.
        while (await _queue.Reader.WaitToReadAsync(CancellationToken.None))
        {
            await flushSlots.WaitAsync(CancellationToken.None);
            if (options.Value.FlushIntervalMs > 0)
            {
                await Task.Delay(options.Value.FlushIntervalMs, CancellationToken.None);
            }
            var batch = new List<Pending>(options.Value.MaxBatch);
            while (batch.Count < options.Value.MaxBatch && _queue.Reader.TryRead(out var pending))
            {
                batch.Add(pending);
            }
            _ = FlushAsync(batch, flushSlots);
        }
        // Every slot back means every flush has ended.
        for (var i = 0; i < options.Value.ConcurrentFlushes; i++)
        {
            await flushSlots.WaitAsync(CancellationToken.None);
        }
        await completionChecks.DrainAsync();
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        await base.StopAsync(cancellationToken);
    }

    private async Task FlushAsync(List<Pending> batch, SemaphoreSlim flushSlots)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        using var deadline = new CancellationTokenSource(FlushTimeout);
        try
        {
            await CountBatchAsync(batch, deadline.Token);
        }
        catch (Exception e)
        {
            // No handler may wait for ever: whatever was not counted goes back to its queue's retry path.
            Fail(batch, e);
        }
        finally
        {
            flushSlots.Release();
        }
        logger.LogDebug("Counted a batch of {Count} results in {Elapsed:F1} ms", batch.Count, System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    private async Task CountBatchAsync(List<Pending> batch, CancellationToken cancellationToken)
    {
        // One lookup per distinct reference, not per result: a batch is usually thousands of results of one execution.
        var resolved = await Task.WhenAll(batch
            .GroupBy(p => (p.Result.TenantId, p.Result.ExecutionId, p.Result.SyncTaskId))
            .Select(async reference =>
            {
                try
                {
                    return (Reference: reference, ExecutionId: await resolver.ResolveAsync(reference.First().Result, cancellationToken));
                }
                catch (Exception e)
                {
                    Fail(reference, e);
                    return (Reference: reference, ExecutionId: (string?)null);
                }
            }));

        await Task.WhenAll(resolved
            .Where(r => r.ExecutionId is not null)
            .GroupBy(r => (TenantId: r.Reference.Key.TenantId!, ExecutionId: r.ExecutionId!))
            .Select(group => CountExecutionAsync(group.Key.TenantId, group.Key.ExecutionId, group.SelectMany(r => r.Reference).ToList(), cancellationToken)));
    }

    private async Task CountExecutionAsync(string tenantId, string executionId, List<Pending> results, CancellationToken cancellationToken)
    {
        try
        {
            var counted = await tallies.RecordAsync(tenantId, executionId, results.Select(p => (p.Result.Key, p.Result.Outcome)).ToList(), cancellationToken);
            metrics.RecordsMapped(counted.Created + counted.Updated);
            metrics.RecordsFailed("mapping", counted.Failed);
        }
        catch (Exception e)
        {
            Fail(results, e);
            return;
        }
        foreach (var pending in results)
        {
            pending.Counted.TrySetResult();
        }
        completionChecks.Request(tenantId, executionId);
    }

    /// <summary>Fails the handlers of results not yet counted (a counted result's handler has already returned).</summary>
    private static void Fail(IEnumerable<Pending> results, Exception error)
    {
        foreach (var pending in results)
        {
            pending.Counted.TrySetException(error);
        }
    }

    private sealed record Pending(MappingResult Result, TaskCompletionSource Counted);
}
