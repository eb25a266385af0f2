using IntegrationSync.EventConsumer.Statistics;
using IntegrationSync.Shared.Contracts;
using IntegrationSync.Shared.Contracts.Events;
using IntegrationSync.Shared.Sync;

namespace IntegrationSync.EventConsumer.Tests.Statistics;

public sealed class ProgressTimeoutHarness : StatisticsHarness
{
    public const int TimeoutSeconds = 10;

    protected override IEnumerable<string> ExtraArgs => [$"--mapping:completion_timeout_seconds={TimeoutSeconds}", "--statistics:sweep_interval_seconds=1"];

    protected override int Hosts => 1;
}

/// <summary>The completion timeout measures a run's own progress (its last counted result), not how long it has been going.</summary>
public sealed class ProgressTimeoutTests(ProgressTimeoutHarness harness) : IClassFixture<ProgressTimeoutHarness>
{
    private const int SlowRecords = 20;

    /// <summary>Between two results of the slow run: a sweep or more, well inside the timeout.</summary>
    private static readonly TimeSpan Pace = TimeSpan.FromSeconds(1.2);

    [Fact]
    public async Task A_slow_run_whose_results_keep_arriving_outlives_the_completion_timeout_while_a_stalled_one_is_failed()
    {
        var tenant = Guid.NewGuid().ToString();
        var (_, slow) = await harness.SeedAsync(tenant, SyncStatus.Running, published: 0);
        var (_, stalled) = await harness.SeedAsync(tenant, SyncStatus.Running, published: 0);
        await harness.PublishAsync(StatisticsHarness.Result(tenant, "slow", slow, 0, MappingOutcome.Created), tenant);
        await harness.PublishAsync(StatisticsHarness.Result(tenant, "stalled", stalled, 0, MappingOutcome.Created), tenant);
        await harness.PublishAsync(StatisticsHarness.Result(tenant, "stalled", stalled, 1, MappingOutcome.Created), tenant);
        await CountedAsync(tenant, slow, 1);
        await CountedAsync(tenant, stalled, 2);
        // Both finished publishing three timeouts ago: measured from there, both would be over the timeout at the first sweep.
        var longAgo = IsoTime.Format(DateTimeOffset.UtcNow.AddSeconds(-3 * ProgressTimeoutHarness.TimeoutSeconds));
        await harness.Executions.UpdateAsync(tenant, slow, e => e with
        {
            Status = SyncStatus.Processing, RecordsPublished = SlowRecords, PublishedAt = longAgo,
        }, CancellationToken.None);
        await harness.Executions.UpdateAsync(tenant, stalled, e => e with
        {
            Status = SyncStatus.Processing, RecordsPublished = 4, PublishedAt = longAgo,
        }, CancellationToken.None);

        var stalledFailedWhileSlowRan = false;
        for (var i = 1; i < SlowRecords; i++)
        {
            await Task.Delay(Pace);
            Assert.Equal(SyncStatus.Processing, (await harness.Executions.ReadAsync(tenant, slow, CancellationToken.None))!.Status);
            stalledFailedWhileSlowRan |= (await harness.Executions.ReadAsync(tenant, stalled, CancellationToken.None))!.Status == SyncStatus.Failed;
            await harness.PublishAsync(StatisticsHarness.Result(tenant, "slow", slow, i, MappingOutcome.Created), tenant);
            await CountedAsync(tenant, slow, i + 1);
        }

        var finished = await harness.WaitForExecutionAsync(tenant, slow, SyncStatus.Completed);
        Assert.Equal((SlowRecords, SlowRecords, (string?)null), (finished.RecordsProcessed, finished.RecordsCreated, finished.ErrorCode));
        var timedOut = await harness.WaitForExecutionAsync(tenant, stalled, SyncStatus.Failed);
        Assert.Equal(("MAPPING_RESULTS_MISSING", 2, 2), (timedOut.ErrorCode, timedOut.RecordsMissing, timedOut.RecordsProcessed));
        Assert.True(stalledFailedWhileSlowRan, "the sweep timed the stalled run out while the slow one was still receiving results");
        Assert.DoesNotContain(harness.Wire.Messages, m => m.Envelope.Type == EventNames.SyncFailed && m.Data<SyncFailed>().ExecutionId == slow);
    }

    private async Task CountedAsync(string tenant, string executionId, int total)
    {
        var tallies = new ExecutionTallyRepository(harness.Database.Containers);
        await StatisticsHarness.WaitForAsync(async () => (await tallies.ReadTotalsAsync(tenant, executionId, CancellationToken.None)).Total >= total,
            $"{total} results of execution {executionId} counted");
    }
}
