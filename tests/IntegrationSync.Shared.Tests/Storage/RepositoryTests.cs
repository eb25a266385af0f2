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
