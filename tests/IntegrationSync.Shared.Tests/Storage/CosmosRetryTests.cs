using System.Net;
using IntegrationSync.Shared.Storage;
using IntegrationSync.Shared.Sync;
using IntegrationSync.TestSupport;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Options;

namespace IntegrationSync.Shared.Tests.Storage;

/// <summary>Against the test server's fault injection (tools/cosmos/patches/faults.js): real 429 and 503 answers.</summary>
public sealed class CosmosRetryTests(CosmosTestDatabase database) : IClassFixture<CosmosTestDatabase>, IAsyncLifetime
{
    private readonly HttpClient _server = new() { BaseAddress = new Uri(TestInfrastructure.CosmosEndpoint) };

    [Fact]
    public async Task A_write_through_a_burst_of_503s_is_retried_until_it_lands()
    {
        var tenant = Guid.NewGuid().ToString();
        var tasks = new SyncTaskRepository(database.Containers);
        await ArmAsync(status: 503, count: 3);

        var stored = await Retry().ExecuteAsync(async t => await tasks.CreateAsync(NewTask(tenant), t), CancellationToken.None);

        Assert.Equal(tenant, stored.TenantId);
        Assert.Equal("0", await LeftAsync());
    }

    [Fact]
    public async Task An_answer_that_is_not_a_blip_is_the_callers_at_once()
    {
        var tenant = Guid.NewGuid().ToString();
        var tasks = new SyncTaskRepository(database.Containers);
        var task = await tasks.CreateAsync(NewTask(tenant), CancellationToken.None);

        var conflict = await Assert.ThrowsAsync<CosmosException>(() =>
            Retry().ExecuteAsync(async t => await tasks.CreateAsync(task with { ETag = null }, t), CancellationToken.None).AsTask());

        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
    }

    [Fact]
    public async Task Throttling_beyond_the_sdks_own_retries_is_retried_with_the_servers_retry_after()
    {
        var tenant = Guid.NewGuid().ToString();
        var tasks = new SyncTaskRepository(database.Containers);
        // More 429s than the SDK retries on its own (9), each asking for 10 ms.
        await ArmAsync(status: 429, count: 15);

        var stored = await Retry().ExecuteAsync(async t => await tasks.CreateAsync(NewTask(tenant), t), CancellationToken.None);

        Assert.Equal(tenant, stored.TenantId);
    }

    private CosmosRetry Retry() => new(Options.Create(database.Options), TimeProvider.System);

    private static SyncTaskDocument NewTask(string tenant)
    {
        var id = Guid.NewGuid().ToString();
        return new SyncTaskDocument { Id = id, TaskId = id, TenantId = tenant, Status = SyncStatus.Pending };
    }

    /// <summary>Only this class's database is hit: the server is shared with every test assembly running beside it.</summary>
    private async Task ArmAsync(int status, int count)
    {
        var path = $"/dbs/{database.Options.DatabaseId}/colls/integration_sync_tasks/docs";
        (await _server.PostAsync($"_test/faults?status={status}&count={count}&retryAfterMs=10&path={Uri.EscapeDataString(path)}", null))
            .EnsureSuccessStatusCode();
    }

    private async Task<string> LeftAsync() =>
        System.Text.Json.Nodes.JsonNode.Parse(await _server.GetStringAsync("_test/faults"))!["left"]!.ToString();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _server.DeleteAsync("_test/faults");
        _server.Dispose();
    }
}
