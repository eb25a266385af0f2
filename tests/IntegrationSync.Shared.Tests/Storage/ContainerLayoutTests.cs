using IntegrationSync.Shared.Configuration.Options;
using IntegrationSync.Shared.Storage;
using IntegrationSync.Shared.Sync;
using IntegrationSync.Shared.Webhooks;
using IntegrationSync.TestSupport;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace IntegrationSync.Shared.Tests.Storage;

public sealed class SingleContainerDatabase : IAsyncLifetime
{
    public CosmosTestDatabase Database { get; } = CosmosTestDatabase.SingleContainer();

    public Task InitializeAsync() => Database.InitializeAsync();

    public Task DisposeAsync() => Database.DisposeAsync();
}

/// <summary>The two layouts: the original's containers, or every kind in one container told apart by <c>type</c>.</summary>
public sealed class ContainerLayoutTests(SingleContainerDatabase single) : IClassFixture<SingleContainerDatabase>
{
    private readonly string _tenant = Guid.NewGuid().ToString();

    [Fact]
    public async Task The_single_layout_creates_its_one_container_and_the_per_record_sync_state_only()
    {
        var names = new List<string>();
        using var iterator = single.Database.Client.GetDatabase(single.Database.Options.DatabaseId).GetContainerQueryIterator<ContainerProperties>();
        while (iterator.HasMoreResults)
        {
            names.AddRange((await iterator.ReadNextAsync()).Select(c => c.Id));
        }

        Assert.Equal(["integration-sync_data", "integration_sync_records"], names.Order());
    }

    [Fact]
    public async Task In_one_container_a_repository_reads_and_lists_only_its_own_kind()
    {
        var tasks = new SyncTaskRepository(single.Database.Containers);
        var executions = new ExecutionRepository(single.Database.Containers);
        var taskId = Guid.NewGuid().ToString();
        var executionId = WorkMessages.ExecutionIdFor(taskId);
        await tasks.CreateAsync(new SyncTaskDocument { Id = taskId, TenantId = _tenant, Status = SyncStatus.Pending, Managed = true }, CancellationToken.None);
        await executions.CreateAsync(new ExecutionDocument
        {
            Id = executionId, ExecutionId = executionId, TaskId = taskId, TenantId = _tenant, Status = SyncStatus.Pending, Managed = true,
        }, CancellationToken.None);

        Assert.Null(await tasks.ReadAsync(_tenant, executionId, CancellationToken.None));
        Assert.Null(await executions.ReadAsync(_tenant, taskId, CancellationToken.None));
        Assert.Equal(SyncTaskDocument.DocType, (await tasks.ReadAsync(_tenant, taskId, CancellationToken.None))!.Type);
        var pending = await tasks.QueryAsync(_tenant, new QueryDefinition($"SELECT * FROM c WHERE {tasks.OfKind} AND c.status = 'pending'"), null, CancellationToken.None);
        Assert.Equal([taskId], pending.Select(t => t.Id));
        Assert.Equal(1, await tasks.CountPendingAsync(_tenant, CancellationToken.None));
    }

    [Fact]
    public void The_original_containers_also_hold_documents_written_without_a_type()
    {
        var containers = new CosmosContainers(single.Database.Client, Options.Create(new CosmosDbOptions { DatabaseId = "any" }));

        Assert.Equal("(NOT IS_DEFINED(c.type) OR c.type = 'webhook')", containers.Kind(WebhookDocument.DocType, untypedToo: true).Clause);
        Assert.Equal("c.type = 'webhook'", single.Database.Containers.Kind(WebhookDocument.DocType, untypedToo: true).Clause);
    }

    [Theory]
    [InlineData("containers", "integration_sync_tasks")]
    [InlineData("single", "integration-sync_data")]
    public async Task Without_leave_to_create_containers_start_up_names_the_missing_ones(string layout, string missing)
    {
        var options = new CosmosDbOptions
        {
            Endpoint = TestInfrastructure.CosmosEndpoint, Key = TestInfrastructure.CosmosKey, ConnectionMode = "gateway", LimitToEndpoint = true,
            DatabaseId = TestInfrastructure.UniqueName("absent"), Layout = layout, CreateContainers = false,
        };
        using var client = CosmosClientFactory.Create(options, "tests");
        var bootstrap = new CosmosBootstrap(client, Options.Create(options), NullLogger<CosmosBootstrap>.Instance);

        var error = await Assert.ThrowsAnyAsync<Exception>(() => bootstrap.StartAsync(CancellationToken.None));

        Assert.Contains(missing, error.ToString());
        Assert.Contains("create_containers", error.ToString());
    }

    [Fact]
    public async Task Without_leave_to_create_containers_start_up_accepts_the_ones_an_operator_created()
    {
        var options = new CosmosDbOptions
        {
            Endpoint = TestInfrastructure.CosmosEndpoint, Key = TestInfrastructure.CosmosKey, ConnectionMode = "gateway", LimitToEndpoint = true,
            DatabaseId = single.Database.Options.DatabaseId, Layout = "single", CreateContainers = false,
        };
        using var client = CosmosClientFactory.Create(options, "tests");

        await new CosmosBootstrap(client, Options.Create(options), NullLogger<CosmosBootstrap>.Instance).StartAsync(CancellationToken.None);
    }
}
