using IntegrationSync.EventConsumer.Completion;
using IntegrationSync.EventConsumer.Statistics;
using IntegrationSync.Shared.Contracts;
using IntegrationSync.Shared.Contracts.Events;
using IntegrationSync.Shared.Sync;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationSync.EventConsumer.Tests.Statistics;

public sealed class ExactStatisticsTests(StatisticsHarness harness) : IClassFixture<StatisticsHarness>
{
    private readonly string _tenant = Guid.NewGuid().ToString();

    private static MappingOutcome OutcomeOf(int index) => (index % 6) switch
    {
        0 => MappingOutcome.Failed,
        1 => MappingOutcome.Updated,
        _ => MappingOutcome.Created,
    };

    [Fact]
    public async Task Every_result_three_times_across_two_hosts_still_counts_exactly_and_completes_once()
    {
        var (taskId, executionId) = await harness.SeedAsync(_tenant, SyncStatus.Processing, published: 300);
        var deliveries = Enumerable.Range(0, 300).SelectMany(i => Enumerable.Repeat(i, 3)).OrderBy(_ => Random.Shared.Next()).ToList();

        await Task.WhenAll(deliveries.Select(i => harness.PublishAsync(StatisticsHarness.Result(_tenant, taskId, executionId, i, OutcomeOf(i)), _tenant)));

        var execution = await harness.WaitForExecutionAsync(_tenant, executionId, SyncStatus.Completed);
        Assert.Equal((300, 200, 50, 50), (execution.RecordsProcessed, execution.RecordsCreated, execution.RecordsUpdated, execution.RecordsFailed));
        var task = await harness.WaitForTaskAsync(_tenant, taskId, SyncStatus.Completed);
        Assert.Equal((SyncStatus.Completed, 300, 200, 50, 50), (task.Status, task.RecordsProcessed, task.RecordsCreated, task.RecordsUpdated, task.RecordsFailed));
        await harness.Wire.WaitUntilAsync(m => m.Count(x => x.Envelope.Type == EventNames.DataMapped || x.Envelope.Type == EventNames.DataMappingFailed) >= 900
            && m.Any(x => IsCompletion(x, taskId)), TimeSpan.FromSeconds(30), "all results and the completion");
        await harness.DrainedAsync();
        var completed = Assert.Single(harness.Wire.Messages, m => IsCompletion(m, taskId));
        Assert.Equal(new SyncCompleted(taskId, executionId, 300, 200, 50, 50), completed.Data<SyncCompleted>());
        Assert.Equal(executionId, completed.Envelope.Metadata?.CorrelationId);
    }

    [Fact]
    public async Task Results_that_arrive_before_the_execution_exists_are_retried_not_lost()
    {
        var (taskId, executionId) = (Guid.NewGuid().ToString(), Guid.NewGuid().ToString());
        await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            harness.PublishAsync(StatisticsHarness.Result(_tenant, taskId, executionId, i, MappingOutcome.Created), _tenant)));

        await harness.Executions.CreateAsync(new ExecutionDocument
        {
            Id = executionId, ExecutionId = executionId, TaskId = taskId, TenantId = _tenant, Status = SyncStatus.Processing, Managed = true,
            RecordsPublished = 20, PublishedAt = IsoTime.Format(DateTimeOffset.UtcNow),
        }, CancellationToken.None);
        await harness.Tasks.CreateAsync(new SyncTaskDocument
        {
            Id = taskId, TaskId = taskId, TenantId = _tenant, Status = SyncStatus.Processing, CurrentExecutionId = executionId,
        }, CancellationToken.None);

        var execution = await harness.WaitForExecutionAsync(_tenant, executionId, SyncStatus.Completed);
        Assert.Equal((20, 20), (execution.RecordsProcessed, execution.RecordsCreated));
    }

    [Fact]
    public async Task Results_that_overtake_the_runner_count_and_the_runner_completes_the_run()
    {
        var (taskId, executionId) = await harness.SeedAsync(_tenant, SyncStatus.Running, published: 0);
        await Task.WhenAll(Enumerable.Range(0, 10).Select(i =>
            harness.PublishAsync(StatisticsHarness.Result(_tenant, taskId, executionId, i, OutcomeOf(i)), _tenant)));
        var tallies = new ExecutionTallyRepository(harness.Database.Containers);
        await WaitAsync(async () => (await tallies.ReadTotalsAsync(_tenant, executionId, CancellationToken.None)).Total == 10);
        Assert.Equal(SyncStatus.Running, (await harness.Executions.ReadAsync(_tenant, executionId, CancellationToken.None))!.Status);

        // What the runner does once its last page is confirmed.
        await harness.Executions.UpdateAsync(_tenant, executionId, e => e with { Status = SyncStatus.Processing, RecordsPublished = 10 }, CancellationToken.None);
        var completed = await harness.Host.Services.GetRequiredService<CompletionLifecycle>().TryCompleteAsync(_tenant, executionId, CancellationToken.None);

        Assert.True(completed);
        var execution = await harness.Executions.ReadAsync(_tenant, executionId, CancellationToken.None);
        Assert.Equal((SyncStatus.Completed, 10), (execution!.Status, execution.RecordsProcessed));
    }

    [Fact]
    public async Task Records_forwarded_to_non_crm_processors_are_not_awaited_and_count_as_processed()
    {
        var (taskId, executionId) = await harness.SeedAsync(_tenant, SyncStatus.Processing, published: 5, forwarded: 3);
        var completion = harness.Host.Services.GetRequiredService<CompletionLifecycle>();
        var tallies = new ExecutionTallyRepository(harness.Database.Containers);

        await harness.PublishAsync(StatisticsHarness.Result(_tenant, taskId, executionId, 0, MappingOutcome.Created), _tenant);
        await WaitAsync(async () => (await tallies.ReadTotalsAsync(_tenant, executionId, CancellationToken.None)).Total == 1);
        Assert.False(await completion.TryCompleteAsync(_tenant, executionId, CancellationToken.None));
        Assert.Equal(SyncStatus.Processing, (await harness.Executions.ReadAsync(_tenant, executionId, CancellationToken.None))!.Status);

        await harness.PublishAsync(StatisticsHarness.Result(_tenant, taskId, executionId, 1, MappingOutcome.Updated), _tenant);
        var execution = await harness.WaitForExecutionAsync(_tenant, executionId, SyncStatus.Completed);

        Assert.Equal((5, 3, 1, 1, 0), (execution.RecordsProcessed, execution.RecordsForwarded, execution.RecordsCreated, execution.RecordsUpdated, execution.RecordsFailed));
        var task = await harness.WaitForTaskAsync(_tenant, taskId, SyncStatus.Completed);
        Assert.Equal((5, 1, 1, 0), (task.RecordsProcessed, task.RecordsCreated, task.RecordsUpdated, task.RecordsFailed));
        await harness.Wire.WaitUntilAsync(m => m.Any(x => IsCompletion(x, taskId)), TimeSpan.FromSeconds(30), "the completion");
        Assert.Equal(new SyncCompleted(taskId, executionId, 5, 1, 1, 0), Assert.Single(harness.Wire.Messages, m => IsCompletion(m, taskId)).Data<SyncCompleted>());
    }

    [Fact]
    public async Task A_run_whose_records_were_all_forwarded_completes_when_publishing_ends()
    {
        var (taskId, executionId) = await harness.SeedAsync(_tenant, SyncStatus.Running, published: 0);

        // What the runner does once its last page is confirmed.
        await harness.Executions.UpdateAsync(_tenant, executionId,
            e => e with { Status = SyncStatus.Processing, RecordsPublished = 4, RecordsForwarded = 4 }, CancellationToken.None);
        var completed = await harness.Host.Services.GetRequiredService<CompletionLifecycle>().TryCompleteAsync(_tenant, executionId, CancellationToken.None);

        Assert.True(completed);
        var execution = await harness.Executions.ReadAsync(_tenant, executionId, CancellationToken.None);
        Assert.Equal((SyncStatus.Completed, 4, 0, 0, 0), (execution!.Status, execution.RecordsProcessed, execution.RecordsCreated, execution.RecordsUpdated, execution.RecordsFailed));
        await harness.Wire.WaitUntilAsync(m => m.Any(x => IsCompletion(x, taskId)), TimeSpan.FromSeconds(30), "the completion");
        Assert.Equal(new SyncCompleted(taskId, executionId, 4, 0, 0, 0), Assert.Single(harness.Wire.Messages, m => IsCompletion(m, taskId)).Data<SyncCompleted>());
    }

    [Fact]
    public async Task A_result_without_tenant_or_task_is_parked_not_counted()
    {
        await harness.Peer.PublishAsync(new DataMapped("i-1", null, "s", "e", null, "k", null), tenantId: "");

        await harness.Wire.WaitUntilAsync(m => m.Any(x => x.Envelope.Type == EventNames.DataMapped && x.Data<DataMapped>().IdempotencyKey == "k"),
            TimeSpan.FromSeconds(10), "the bad result");
        Assert.Equal(1u, await harness.ParkedCountAsync(1));
    }

    private static bool IsCompletion(TestSupport.WireMessage message, string taskId) =>
        message.Envelope.Type == EventNames.SyncCompleted && message.Data<SyncCompleted>().TaskId == taskId;

    private static async Task WaitAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("condition not met");
            }
            await Task.Delay(50);
        }
    }
}
