using System.Net.Http.Json;
using System.Text.Json.Nodes;
using IntegrationSync.EventConsumer.ShardChanges;
using IntegrationSync.Shared.Contracts.Events;
using IntegrationSync.TestSupport;
using Microsoft.AspNetCore.Builder;

namespace IntegrationSync.EventConsumer.Tests.ShardChanges;

public sealed class ShardChangeHarness : IAsyncLifetime
{
    private readonly List<WebApplication> _hosts = [];

    public string Exchange { get; } = TestInfrastructure.UniqueName("shards");
    public CosmosTestDatabase Database { get; } = CosmosTestDatabase.Named(TestInfrastructure.UniqueName("shardsdb"));
    public TestPublisher ShardManager { get; private set; } = null!;
    public HttpClient Peers { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var url = await TestInfrastructure.RabbitMqUrlAsync();
        await Database.InitializeAsync();
        var (peers, peersUrl) = await TestHost.StartAsync(IntegrationSync.CastielPeers.Program.Build,
            TestHost.Args(url, Exchange, Database.Options.DatabaseId, ["--peers:mapper:enabled=false"]));
        var (consumer, _) = await TestHost.StartAsync(IntegrationSync.EventConsumer.Program.Build,
            TestHost.Args(url, Exchange, Database.Options.DatabaseId, [$"--services:shard_manager:url={peersUrl}"]));
        _hosts.AddRange([peers, consumer]);
        Peers = new HttpClient { BaseAddress = new Uri(peersUrl) };
        ShardManager = new TestPublisher(url, Exchange, "shard-manager");
    }

    public async Task<ShardChangeDocument?> WaitForChangeAsync(string tenantId, string shardId, int changes)
    {
        var repository = new ShardChangeRepository(Database.Containers);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        ShardChangeDocument? change = null;
        while (DateTime.UtcNow < deadline && (change = await repository.ReadAsync(tenantId, ShardChangeDocument.IdFor(shardId), CancellationToken.None))?.Changes != changes)
        {
            await Task.Delay(50);
        }
        return change;
    }

    public async Task DisposeAsync()
    {
        foreach (var host in Enumerable.Reverse(_hosts))
        {
            await host.StopAsync();
            await host.DisposeAsync();
        }
        await ShardManager.DisposeAsync();
        Peers.Dispose();
        await Database.DisposeAsync();
    }
}

public sealed class ShardUpdatedTests(ShardChangeHarness harness) : IClassFixture<ShardChangeHarness>
{
    private readonly string _tenant = Guid.NewGuid().ToString();

    [Fact]
    public async Task A_change_to_a_shard_from_an_integration_is_recorded_for_the_outbound_push()
    {
        var shardId = Guid.NewGuid().ToString();
        await SeedShardAsync(shardId, new JsonObject { ["integrationId"] = "int-1", ["externalId"] = "006A1" });

        await harness.ShardManager.PublishAsync(new ShardUpdated(shardId, "c_opportunity"), _tenant);
        await harness.ShardManager.PublishAsync(new ShardUpdated(null, "c_opportunity", Id: shardId), _tenant);

        var change = await harness.WaitForChangeAsync(_tenant, shardId, changes: 2);
        Assert.NotNull(change);
        Assert.Equal(("int-1", "006A1", "c_opportunity", ShardChangeDocument.PendingOutbound), (change.IntegrationId, change.ExternalId, change.ShardTypeId, change.Status));
    }

    [Fact]
    public async Task A_shard_no_integration_produced_is_not_recorded()
    {
        var unlinked = Guid.NewGuid().ToString();
        var linked = Guid.NewGuid().ToString();
        await SeedShardAsync(unlinked, new JsonObject { ["source"] = "ui" });
        await SeedShardAsync(linked, new JsonObject { ["externalSource"] = "int-2" });

        await harness.ShardManager.PublishAsync(new ShardUpdated(unlinked, "c_note"), _tenant);
        await harness.ShardManager.PublishAsync(new ShardUpdated(linked, "c_note"), _tenant);

        // The linked shard's record shows both events reached the consumer; the unlinked one must leave nothing behind.
        Assert.Equal("int-2", (await harness.WaitForChangeAsync(_tenant, linked, changes: 1))?.IntegrationId);
        Assert.Null(await new ShardChangeRepository(harness.Database.Containers).ReadAsync(_tenant, ShardChangeDocument.IdFor(unlinked), CancellationToken.None));
    }

    private async Task SeedShardAsync(string shardId, JsonObject metadata) =>
        (await harness.Peers.PutAsJsonAsync($"/_peers/shards/{shardId}", new JsonObject
        {
            ["tenantId"] = _tenant, ["shardTypeId"] = "c_opportunity", ["metadata"] = metadata,
        })).EnsureSuccessStatusCode();
}
