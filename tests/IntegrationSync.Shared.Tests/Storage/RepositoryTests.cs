using IntegrationSync.TestSupport;
using IntegrationSync.Shared.Sync;

namespace IntegrationSync.Shared.Tests.Storage;

public sealed class RepositoryTests(CosmosTestDatabase database) : IClassFixture<CosmosTestDatabase>
{
    private readonly string _tenant = Guid.NewGuid().ToString();

    [Fact]
    public async Task A_missing_item_reads_as_null()
    {
        var tasks = new SyncTaskRepository(database.Containers);

        Assert.Null(await tasks.ReadAsync(_tenant, Guid.NewGuid().ToString(), CancellationToken.None));
    }

    [Fact]
    public async Task Another_tenants_item_is_invisible()
    {
        var tasks = new SyncTaskRepository(database.Containers);
        var id = Guid.NewGuid().ToString();
        await tasks.CreateAsync(new SyncTaskDocument { Id = id, TenantId = _tenant, Status = SyncStatus.Pending }, CancellationToken.None);

        Assert.Null(await tasks.ReadAsync(Guid.NewGuid().ToString(), id, CancellationToken.None));
    }

    [Fact]
    public async Task A_replace_with_a_stale_etag_loses_and_changes_nothing()
    {
        var tasks = new SyncTaskRepository(database.Containers);
        var created = await tasks.CreateAsync(
            new SyncTaskDocument { Id = Guid.NewGuid().ToString(), TenantId = _tenant, Status = SyncStatus.Pending }, CancellationToken.None);
        var winner = await tasks.TryReplaceAsync(created with { Status = SyncStatus.Running }, CancellationToken.None);

        var loser = await tasks.TryReplaceAsync(created with { Status = SyncStatus.Cancelled }, CancellationToken.None);

        Assert.NotNull(winner);
        Assert.Null(loser);
        Assert.Equal(SyncStatus.Running, (await tasks.ReadAsync(_tenant, created.Id, CancellationToken.None))!.Status);
    }

    [Fact]
    public async Task Concurrent_updates_all_apply()
    {
        var executions = new ExecutionRepository(database.Containers);
        var id = Guid.NewGuid().ToString();
        await executions.CreateAsync(new ExecutionDocument
        {
            Id = id, ExecutionId = id, TaskId = "t", TenantId = _tenant, Status = SyncStatus.Running,
        }, CancellationToken.None);

        await Task.WhenAll(Enumerable.Range(0, 10).Select(_ =>
            executions.UpdateAsync(_tenant, id, e => e with { RecordsPublished = e.RecordsPublished + 1 }, CancellationToken.None)));

        Assert.Equal(10, (await executions.ReadAsync(_tenant, id, CancellationToken.None))!.RecordsPublished);
    }

    [Fact]
    public async Task A_tally_counts_each_result_once_whatever_the_duplicates()
    {
        var tallies = new ExecutionTallyRepository(database.Containers);
        var executionId = Guid.NewGuid().ToString();
        var results = Enumerable.Range(0, 30)
            .Select(i => ($"key-{i}", i % 3 == 0 ? MappingOutcome.Failed : i % 3 == 1 ? MappingOutcome.Created : MappingOutcome.Updated))
            .ToList();

        // Every result three times, concurrently, in a shuffled order.
        var deliveries = results.Concat(results).Concat(results).OrderBy(_ => Random.Shared.Next()).ToList();
        await Task.WhenAll(deliveries.Select(r => tallies.RecordAsync(_tenant, executionId, [r], CancellationToken.None)));

        Assert.Equal(new TallyTotals(10, 10, 10), await tallies.ReadTotalsAsync(_tenant, executionId, CancellationToken.None));
    }

    [Fact]
    public async Task Two_replicas_counting_overlapping_results_past_a_segments_capacity_stay_exact()
    {
        var executionId = Guid.NewGuid().ToString();
        var results = Enumerable.Range(0, 20_000).Select(i => ($"key-{i}", (MappingOutcome)(i % 3))).ToList();
        var (replicaA, replicaB) = (new ExecutionTallyRepository(database.Containers), new ExecutionTallyRepository(database.Containers));

        // Each replica sees two thirds of the results, in batches, at the same time; a third of them both see.
        await Task.WhenAll(
            Task.Run(async () => { foreach (var batch in results.Take(13_334).Chunk(1000)) { await replicaA.RecordAsync(_tenant, executionId, batch, CancellationToken.None); } }),
            Task.Run(async () => { foreach (var batch in results.Skip(6_666).Chunk(1000)) { await replicaB.RecordAsync(_tenant, executionId, batch, CancellationToken.None); } }));
        var again = await new ExecutionTallyRepository(database.Containers).RecordAsync(_tenant, executionId, results, CancellationToken.None);

        Assert.Equal(0, again);
        var expected = results.GroupBy(r => r.Item2).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(new TallyTotals(expected[MappingOutcome.Created], expected[MappingOutcome.Updated], expected[MappingOutcome.Failed]),
            await replicaA.ReadTotalsAsync(_tenant, executionId, CancellationToken.None));
    }

    [Fact]
    public async Task A_foreign_shaped_task_document_reads_without_error()
    {
        var id = Guid.NewGuid().ToString();
        await database.Containers.SyncTasks.CreateItemAsync(new
        {
            id, tenantId = _tenant, integrationId = "x", providerName = "salesforce", jobId = "j", status = "success",
            stats = new { recordsProcessed = 3 }, startedAt = "2026-01-01T00:00:00.000Z",
        }, new Microsoft.Azure.Cosmos.PartitionKey(_tenant));

        var task = await new SyncTaskRepository(database.Containers).ReadAsync(_tenant, id, CancellationToken.None);

        Assert.Equal("success", task!.Status);
    }
}
