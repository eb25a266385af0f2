using IntegrationSync.EventConsumer.Statistics;
using IntegrationSync.Shared.Contracts;
using IntegrationSync.Shared.Contracts.Events;
using IntegrationSync.Shared.Sync;

namespace IntegrationSync.EventConsumer.Tests.Statistics;

public sealed class ShortTimeoutHarness : StatisticsHarness
{
    protected override IEnumerable<string> ExtraArgs => ["--mapping:completion_timeout_seconds=2", "--statistics:sweep_interval_seconds=1"];

    protected override int Hosts => 1;
}

public sealed class CompletionTimeoutTests(ShortTimeoutHarness harness) : IClassFixture<ShortTimeoutHarness>
{
    [Fact]
    public async Task A_run_whose_results_stop_arriving_fails_with_the_missing_count()
    {
        var tenant = Guid.NewGuid().ToString();
        var (taskId, executionId) = await harness.SeedAsync(tenant, SyncStatus.Running, published: 0);
        await Task.WhenAll(Enumerable.Range(0, 3).Select(i =>
            harness.PublishAsync(StatisticsHarness.Result(tenant, taskId, executionId, i, MappingOutcome.Created), tenant)));
        var tallies = new ExecutionTallyRepository(harness.Database.Containers);
        while ((await tallies.ReadTotalsAsync(tenant, executionId, CancellationToken.None)).Total < 3)
        {
            await Task.Delay(50);
        }

        // Only now does the run say it published five, longer ago than the completion timeout: the sweep must not
        // race the three results.
        await harness.Executions.UpdateAsync(tenant, executionId, e => e with
        {
            Status = SyncStatus.Processing, RecordsPublished = 5, PublishedAt = IsoTime.Format(DateTimeOffset.UtcNow.AddSeconds(-3)),
        }, CancellationToken.None);

        var execution = await harness.WaitForExecutionAsync(tenant, executionId, SyncStatus.Failed);

        Assert.Equal(("MAPPING_RESULTS_MISSING", 2, 3, 3), (execution.ErrorCode, execution.RecordsMissing, execution.RecordsProcessed, execution.RecordsCreated));
        await harness.WaitForTaskAsync(tenant, taskId, SyncStatus.Failed);
        await harness.Wire.WaitUntilAsync(m => m.Any(x => x.Envelope.Type == EventNames.SyncFailed && x.Data<SyncFailed>().ExecutionId == executionId),
            TimeSpan.FromSeconds(10), "integration.sync.failed");
        Assert.DoesNotContain(harness.Wire.Messages, m => m.Envelope.Type == EventNames.SyncCompleted && m.Data<SyncCompleted>().ExecutionId == executionId);
    }

    [Fact]
    public async Task A_timed_out_run_counts_only_its_crm_records_as_missing_and_its_forwarded_ones_as_processed()
    {
        var tenant = Guid.NewGuid().ToString();
        var (taskId, executionId) = await harness.SeedAsync(tenant, SyncStatus.Running, published: 0);
        await harness.PublishAsync(StatisticsHarness.Result(tenant, taskId, executionId, 0, MappingOutcome.Created), tenant);
        var tallies = new ExecutionTallyRepository(harness.Database.Containers);
        while ((await tallies.ReadTotalsAsync(tenant, executionId, CancellationToken.None)).Total < 1)
        {
            await Task.Delay(50);
        }

        // The runner published six records, three of them to non-CRM processors, longer ago than the completion timeout.
        await harness.Executions.UpdateAsync(tenant, executionId, e => e with
        {
            Status = SyncStatus.Processing, RecordsPublished = 6, RecordsForwarded = 3,
            PublishedAt = IsoTime.Format(DateTimeOffset.UtcNow.AddSeconds(-3)),
        }, CancellationToken.None);

        var execution = await harness.WaitForExecutionAsync(tenant, executionId, SyncStatus.Failed);
        Assert.Equal(("MAPPING_RESULTS_MISSING", 2, 4, 1), (execution.ErrorCode, execution.RecordsMissing, execution.RecordsProcessed, execution.RecordsCreated));
        Assert.Equal("2 of 3 records had no mapping result before the completion timeout", execution.Error);
        var task = await harness.WaitForTaskAsync(tenant, taskId, SyncStatus.Failed);
        Assert.Equal((4, 1), (task.RecordsProcessed, task.RecordsCreated));
    }

    [Fact]
    public async Task A_run_with_every_result_counted_is_completed_by_the_sweep_even_without_a_new_result()
    {
        var tenant = Guid.NewGuid().ToString();
        var (_, executionId) = await harness.SeedAsync(tenant, SyncStatus.Running, published: 0);
        await harness.PublishAsync(StatisticsHarness.Result(tenant, "t", executionId, 0, MappingOutcome.Updated), tenant);
        var tallies = new ExecutionTallyRepository(harness.Database.Containers);
        while ((await tallies.ReadTotalsAsync(tenant, executionId, CancellationToken.None)).Total < 1)
        {
            await Task.Delay(50);
        }

        // The runner recorded its count but died before its own completion check.
        await harness.Executions.UpdateAsync(tenant, executionId, e => e with
        {
            Status = SyncStatus.Processing, RecordsPublished = 1, PublishedAt = IsoTime.Format(DateTimeOffset.UtcNow),
        }, CancellationToken.None);

        var execution = await harness.WaitForExecutionAsync(tenant, executionId, SyncStatus.Completed);
        Assert.Equal(1, execution.RecordsUpdated);
    }

    [Fact]
    public async Task A_final_status_whose_task_and_event_a_crash_left_behind_is_announced_by_the_sweep()
    {
        var tenant = Guid.NewGuid().ToString();
        var (taskId, executionId) = await harness.SeedAsync(tenant, SyncStatus.Processing, published: 4);
        // The completer stored the final status and died before it mirrored the task and published the event.
        await harness.Executions.UpdateAsync(tenant, executionId, e => e with
        {
            Status = SyncStatus.Completed, RecordsProcessed = 4, RecordsCreated = 4, CompletedAt = IsoTime.Format(DateTimeOffset.UtcNow.AddMinutes(-5)),
        }, CancellationToken.None);

        var task = await harness.WaitForTaskAsync(tenant, taskId, SyncStatus.Completed);
        Assert.Equal((4, 4), (task.RecordsProcessed, task.RecordsCreated));
        await harness.Wire.WaitUntilAsync(m => m.Any(x => x.Envelope.Type == EventNames.SyncCompleted && x.Data<SyncCompleted>().ExecutionId == executionId),
            TimeSpan.FromSeconds(10), "integration.sync.completed");
        await StatisticsHarness.WaitForAsync(async () => (await harness.Executions.ReadAsync(tenant, executionId, CancellationToken.None))!.AnnouncedAt is not null,
            "the execution marked announced");
    }

    [Fact]
    public async Task An_execution_the_fleet_did_not_write_is_never_timed_out_or_completed()
    {
        var tenant = Guid.NewGuid().ToString();
        var (taskId, executionId) = await harness.SeedAsync(tenant, SyncStatus.Processing, published: 3,
            publishedAt: DateTimeOffset.UtcNow.AddHours(-2));
        await harness.Executions.UpdateAsync(tenant, executionId, e => e with { Managed = false }, CancellationToken.None);
        var before = await harness.Executions.ReadAsync(tenant, executionId, CancellationToken.None);

        // Three sweeps later, as the original system left it.
        await Task.Delay(TimeSpan.FromSeconds(3.5));

        Assert.Equal(before!.ETag, (await harness.Executions.ReadAsync(tenant, executionId, CancellationToken.None))!.ETag);
        Assert.Equal(SyncStatus.Processing, (await harness.Tasks.ReadAsync(tenant, taskId, CancellationToken.None))!.Status);
    }
}
