using System.Threading.Channels;
using IntegrationSync.Shared.Sync;
using Microsoft.Extensions.Options;

namespace IntegrationSync.EventConsumer.Statistics;

/// <summary>
/// Coalesces mapping results: the handlers of many deliveries wait here while their results are written
/// as one update per execution tally shard; each handler returns (and its message is acked) only once
/// its result is durably counted. A failed write fails exactly the handlers of that execution's batch.
/// </summary>
public sealed class ResultBatcher(
    ExecutionResolver resolver,
    ExecutionTallyRepository tallies,
    ExecutionCompletion completion,
    IOptions<StatisticsOptions> options,
    ILogger<ResultBatcher> logger) : BackgroundService
{
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });

    public Task CountAsync(MappingResult result, CancellationToken cancellationToken)
    {
        var pending = new Pending(result, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_queue.Writer.TryWrite(pending))
        {
            throw new InvalidOperationException("The statistics batcher has stopped.");
        }
        return pending.Counted.Task.WaitAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<Pending>(options.Value.MaxBatch);
        // Runs until the writer completes at shutdown, after the consumer drained, so no waiting handler is abandoned.
        while (await _queue.Reader.WaitToReadAsync(CancellationToken.None))
        {
            if (options.Value.FlushIntervalMs > 0)
            {
                await Task.Delay(options.Value.FlushIntervalMs, CancellationToken.None);
            }
            while (batch.Count < options.Value.MaxBatch && _queue.Reader.TryRead(out var pending))
            {
                batch.Add(pending);
            }
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            await FlushAsync(batch);
            logger.LogDebug("Counted a batch of {Count} results in {Elapsed:F1} ms", batch.Count, System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            batch.Clear();
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        await base.StopAsync(cancellationToken);
    }

    private async Task FlushAsync(List<Pending> batch)
    {
        var resolved = await Task.WhenAll(batch.Select(async pending =>
        {
            try
            {
                return (pending, ExecutionId: await resolver.ResolveAsync(pending.Result, CancellationToken.None));
            }
            catch (Exception e)
            {
                pending.Counted.TrySetException(e);
                return (pending, ExecutionId: (string?)null);
            }
        }));

        await Task.WhenAll(resolved
            .Where(r => r.ExecutionId is not null)
            .GroupBy(r => (r.pending.Result.TenantId!, r.ExecutionId!))
            .Select(group => CountExecutionAsync(group.Key.Item1, group.Key.Item2, group.Select(r => r.pending).ToList())));
    }

    private async Task CountExecutionAsync(string tenantId, string executionId, List<Pending> results)
    {
        try
        {
            await tallies.RecordAsync(tenantId, executionId, results.Select(p => (p.Result.Key, p.Result.Outcome)).ToList(), CancellationToken.None);
        }
        catch (Exception e)
        {
            foreach (var pending in results)
            {
                pending.Counted.TrySetException(e);
            }
            return;
        }
        foreach (var pending in results)
        {
            pending.Counted.TrySetResult();
        }

        try
        {
            await completion.TryCompleteAsync(tenantId, executionId, CancellationToken.None);
        }
        catch (Exception e)
        {
            // The results are counted; the sweeper completes the execution if no later result does.
            logger.LogWarning(e, "Completion check of execution {ExecutionId} failed", executionId);
        }
    }

    private sealed record Pending(MappingResult Result, TaskCompletionSource Counted);
}
