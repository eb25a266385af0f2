using System.Net.Http.Json;
using System.Text.Json.Nodes;
using IntegrationSync.Shared.Contracts;
using IntegrationSync.Shared.Contracts.Commands;
using IntegrationSync.Shared.Contracts.Events;
using IntegrationSync.Shared.SyncState;
using IntegrationSync.TestSupport;
using Microsoft.AspNetCore.Builder;

namespace IntegrationSync.EventConsumer.Tests.ShardChanges;

/// <summary>event-consumer with the Castiel peers stand-in (integration-manager, shard-manager), a tap on the exchange, and a shard-manager publisher.</summary>
public sealed class ShardChangeHarness : IAsyncLifetime
{
    private readonly List<WebApplication> _hosts = [];

    public string Exchange { get; } = TestInfrastructure.UniqueName("shards");
    public CosmosTestDatabase Database { get; } = CosmosTestDatabase.Named(TestInfrastructure.UniqueName("shardsdb"));
    public TestPublisher ShardManager { get; private set; } = null!;
    public HttpClient Peers { get; private set; } = null!;
    public WireTap Wire { get; private set; } = null!;
    public SyncRecordRepository Records { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var url = await TestInfrastructure.RabbitMqUrlAsync();
        await Database.InitializeAsync();
        Wire = await WireTap.StartAsync(url, Exchange);
        var (peers, peersUrl) = await TestHost.StartAsync(IntegrationSync.CastielPeers.Program.Build,
            TestHost.Args(url, Exchange, Database.Options.DatabaseId, ["--peers:mapper:enabled=false"]));
        var (consumer, _) = await TestHost.StartAsync(IntegrationSync.EventConsumer.Program.Build,
            TestHost.Args(url, Exchange, Database.Options.DatabaseId,
                [$"--services:shard_manager:url={peersUrl}", $"--services:integration_manager:url={peersUrl}"]));
        _hosts.AddRange([peers, consumer]);
        Peers = new HttpClient { BaseAddress = new Uri(peersUrl) };
        ShardManager = new TestPublisher(url, Exchange, "shard-manager");
        Records = new SyncRecordRepository(Database.Containers);
    }

    /// <summary>An integration that takes writes back when <paramref name="direction"/> is outbound or bidirectional, mapping opportunity name and amount.</summary>
    public async Task<string> AddIntegrationAsync(string tenantId, string direction = "bidirectional")
    {
        var id = Guid.NewGuid().ToString();
        (await Peers.PutAsJsonAsync($"/_peers/integrations/{id}", new JsonObject
        {
            ["tenantId"] = tenantId, ["providerName"] = "rest", ["settings"] = new JsonObject(),
            ["syncConfig"] = new JsonObject
            {
                ["syncDirection"] = direction,
                ["entityMappings"] = new JsonArray(new JsonObject
                {
                    ["externalEntity"] = "opportunity", ["shardTypeId"] = "c_opportunity", ["enabled"] = true,
                    ["fieldMappings"] = new JsonArray(
                        new JsonObject { ["externalField"] = "Name", ["shardField"] = "name" },
                        new JsonObject { ["externalField"] = "Amount", ["shardField"] = "amount" }),
                }),
            },
        })).EnsureSuccessStatusCode();
        return id;
    }

    public async Task SeedShardAsync(string shardId, JsonObject shard) =>
        (await Peers.PutAsJsonAsync($"/_peers/shards/{shardId}", shard)).EnsureSuccessStatusCode();

    public async Task<SyncRecordDocument?> WaitForPendingAsync(string tenantId, string recordId, int changes)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        SyncRecordDocument? record = null;
        while (DateTime.UtcNow < deadline && (record = await Records.ReadAsync(tenantId, recordId, CancellationToken.None))?.Pending?.Changes != changes)
        {
            await Task.Delay(50);
        }
        return record;
    }

    /// <summary>The record once it names its shard (the link event-consumer learns from shard events).</summary>
    public async Task<SyncRecordDocument?> WaitForLinkAsync(string tenantId, string recordId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        SyncRecordDocument? record = null;
        while (DateTime.UtcNow < deadline && (record = await Records.ReadAsync(tenantId, recordId, CancellationToken.None))?.ShardId is null)
        {
            await Task.Delay(50);
        }
        return record;
    }

    /// <summary>The push requests for the record on the wire, once at least one arrived (the command follows the stored change).</summary>
    public async Task<List<SyncOutbound>> WaitForAsksAsync(string recordId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        List<SyncOutbound> asked;
        while ((asked = Wire.OfType(EventNames.SyncOutbound).Select(m => m.Data<SyncOutbound>()).Where(c => c.RecordId == recordId).ToList()).Count == 0
            && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }
        return asked;
    }

    public async Task DisposeAsync()
    {
        foreach (var host in Enumerable.Reverse(_hosts))
        {
            await host.StopAsync();
            await host.DisposeAsync();
        }
        await ShardManager.DisposeAsync();
        await Wire.DisposeAsync();
        Peers.Dispose();
        await Database.DisposeAsync();
    }
}

public sealed class ShardChangedTests(ShardChangeHarness harness) : IClassFixture<ShardChangeHarness>
{
    private readonly string _tenant = Guid.NewGuid().ToString();

    [Fact]
    public async Task A_local_edit_becomes_a_pending_push_and_a_burst_asks_the_runner_once()
    {
        var integration = await harness.AddIntegrationAsync(_tenant);
        var shardId = Guid.NewGuid().ToString();
        var recordId = await SeedSyncedAsync(integration, shardId, "006A1", name: "Acme", amount: 10);
        await harness.SeedShardAsync(shardId, Shard(integration, "006A1", name: "Acme Ltd", amount: 10));

        await harness.ShardManager.PublishAsync(new ShardUpdated(shardId, "c_opportunity"), _tenant);
        await harness.ShardManager.PublishAsync(new ShardUpdated(null, "c_opportunity", Id: shardId), _tenant);
        await harness.ShardManager.PublishAsync(new ShardUpdated(shardId, "c_opportunity"), _tenant);

        var record = await harness.WaitForPendingAsync(_tenant, recordId, changes: 3);
        Assert.Equal(shardId, record!.ShardId);
        var asked = await harness.WaitForAsksAsync(recordId);
        Assert.Equal(integration, Assert.Single(asked).IntegrationId);
    }

    [Fact]
    public async Task An_update_that_brings_back_the_last_synced_values_is_an_echo_and_pushes_nothing()
    {
        var integration = await harness.AddIntegrationAsync(_tenant);
        var (echo, edited) = (Guid.NewGuid().ToString(), Guid.NewGuid().ToString());
        var echoRecord = await SeedSyncedAsync(integration, echo, "006E1", name: "Same", amount: 5);
        var editedRecord = await SeedSyncedAsync(integration, edited, "006E2", name: "Before", amount: 5);
        await harness.SeedShardAsync(echo, Shard(integration, "006E1", name: "Same", amount: 5.0));
        await harness.SeedShardAsync(edited, Shard(integration, "006E2", name: "After", amount: 5));

        await harness.ShardManager.PublishAsync(new ShardUpdated(echo, "c_opportunity"), _tenant);
        await harness.ShardManager.PublishAsync(new ShardUpdated(edited, "c_opportunity"), _tenant);

        // The edited shard's change shows both events were handled; the echo left its record as it was.
        Assert.NotNull(await harness.WaitForPendingAsync(_tenant, editedRecord, changes: 1));
        Assert.Null((await harness.Records.ReadAsync(_tenant, echoRecord, CancellationToken.None))!.Pending);
        Assert.DoesNotContain(harness.Wire.OfType(EventNames.SyncOutbound), m => m.Data<SyncOutbound>().RecordId == echoRecord);
    }

    [Fact]
    public async Task Without_sync_state_a_shard_the_mapper_just_wrote_is_skipped_and_an_older_ones_edit_is_pushed()
    {
        var integration = await harness.AddIntegrationAsync(_tenant);
        var (mapped, edited) = (Guid.NewGuid().ToString(), Guid.NewGuid().ToString());
        var now = DateTimeOffset.UtcNow;
        await harness.SeedShardAsync(mapped, Shard(integration, "006M1", "Mapped", 1, syncedAt: now, updatedAt: now.AddMilliseconds(30)));
        await harness.SeedShardAsync(edited, Shard(integration, "006M2", "Edited", 1, syncedAt: now.AddHours(-1), updatedAt: now));

        await harness.ShardManager.PublishAsync(new ShardUpdated(mapped, "c_opportunity"), _tenant);
        await harness.ShardManager.PublishAsync(new ShardUpdated(edited, "c_opportunity"), _tenant);

        var record = await harness.WaitForPendingAsync(_tenant, SyncRecordDocument.IdFor(_tenant, integration, "opportunity", "006M2"), changes: 1);
        Assert.Equal(("006M2", null), (record!.ExternalId, record.Base?.ToJsonString()));
        // The mapper's shard is only linked to its record (so a deletion at the vendor can reach it), with nothing to push.
        var linked = await harness.WaitForLinkAsync(_tenant, SyncRecordDocument.IdFor(_tenant, integration, "opportunity", "006M1"));
        Assert.Equal((mapped, null, null), (linked!.ShardId, linked.Pending, linked.BaseHash));
    }

    [Fact]
    public async Task A_link_through_external_relationships_counts_and_an_inbound_only_integration_is_never_pushed_only_linked()
    {
        var bidirectional = await harness.AddIntegrationAsync(_tenant);
        var inboundOnly = await harness.AddIntegrationAsync(_tenant, direction: "inbound");
        var (related, inbound, unlinked) = (Guid.NewGuid().ToString(), Guid.NewGuid().ToString(), Guid.NewGuid().ToString());
        await harness.SeedShardAsync(related, new JsonObject
        {
            ["tenantId"] = _tenant, ["shardTypeId"] = "c_opportunity", ["structuredData"] = new JsonObject { ["name"] = "Related" },
            ["external_relationships"] = new JsonArray(new JsonObject { ["id"] = "r1", ["system"] = bidirectional, ["systemType"] = "crm", ["externalId"] = "006R1" }),
        });
        await harness.SeedShardAsync(inbound, Shard(inboundOnly, "006I1", "Inbound", 1, syncedAt: DateTimeOffset.UtcNow.AddHours(-1)));
        await harness.SeedShardAsync(unlinked, new JsonObject { ["tenantId"] = _tenant, ["shardTypeId"] = "c_opportunity", ["metadata"] = new JsonObject { ["source"] = "ui" } });

        await harness.ShardManager.PublishAsync(new ShardUpdated(inbound, "c_opportunity"), _tenant);
        await harness.ShardManager.PublishAsync(new ShardUpdated(unlinked, "c_opportunity"), _tenant);
        await harness.ShardManager.PublishAsync(new ShardUpdated(related, "c_opportunity"), _tenant);

        Assert.NotNull(await harness.WaitForPendingAsync(_tenant, SyncRecordDocument.IdFor(_tenant, bidirectional, "opportunity", "006R1"), changes: 1));
        var linked = await harness.WaitForLinkAsync(_tenant, SyncRecordDocument.IdFor(_tenant, inboundOnly, "opportunity", "006I1"));
        Assert.Equal((inbound, null, null), (linked!.ShardId, linked.Pending, linked.Base));
        Assert.DoesNotContain(harness.Wire.OfType(EventNames.SyncOutbound), m => m.Data<SyncOutbound>().ShardId is var s && (s == inbound || s == unlinked));
    }

    [Fact]
    public async Task A_deleted_shard_becomes_a_pending_push_unless_its_state_knows_the_deletion_already()
    {
        var integration = await harness.AddIntegrationAsync(_tenant);
        var (deleted, known) = (Guid.NewGuid().ToString(), Guid.NewGuid().ToString());
        var deletedRecord = await SeedSyncedAsync(integration, deleted, "006D1", name: "Deleted in Castiel", amount: 1);
        var knownRecord = await SeedSyncedAsync(integration, known, "006D2", name: "Deleted at the vendor", amount: 1,
            deletedAt: new Tombstone(Tombstone.External, IsoTime.Format(DateTimeOffset.UtcNow)));
        foreach (var (shardId, externalId) in new[] { (deleted, "006D1"), (known, "006D2") })
        {
            var shard = Shard(integration, externalId, "any", 1);
            shard["status"] = "deleted";
            await harness.SeedShardAsync(shardId, shard);
        }

        await harness.ShardManager.PublishAsync(new ShardDeleted(known, "c_opportunity"), _tenant);
        await harness.ShardManager.PublishAsync(new ShardDeleted(deleted, "c_opportunity"), _tenant);

        Assert.NotNull(await harness.WaitForPendingAsync(_tenant, deletedRecord, changes: 1));
        Assert.Single(await harness.WaitForAsksAsync(deletedRecord));
        Assert.Null((await harness.Records.ReadAsync(_tenant, knownRecord, CancellationToken.None))!.Pending);
        Assert.DoesNotContain(harness.Wire.OfType(EventNames.SyncOutbound), m => m.Data<SyncOutbound>().RecordId == knownRecord);
    }

    [Theory]
    [InlineData("inbound")]
    [InlineData("bidirectional")]
    public async Task A_created_shard_only_teaches_its_records_link_and_is_never_pushed(string direction)
    {
        var integration = await harness.AddIntegrationAsync(_tenant, direction);
        var shardId = Guid.NewGuid().ToString();
        await harness.SeedShardAsync(shardId, Shard(integration, "006C1", "Created", 7, syncedAt: DateTimeOffset.UtcNow.AddHours(-1)));

        await harness.ShardManager.PublishAsync(new ShardCreated(shardId, "c_opportunity"), _tenant);

        var linked = await harness.WaitForLinkAsync(_tenant, SyncRecordDocument.IdFor(_tenant, integration, "opportunity", "006C1"));
        Assert.Equal((shardId, "006C1", null, null), (linked!.ShardId, linked.ExternalId, linked.Pending, linked.Base));
        Assert.DoesNotContain(harness.Wire.OfType(EventNames.SyncOutbound), m => m.Data<SyncOutbound>().ShardId == shardId);
    }

    private async Task<string> SeedSyncedAsync(string integrationId, string shardId, string externalId, string name, double amount, Tombstone? deletedAt = null)
    {
        var id = SyncRecordDocument.IdFor(_tenant, integrationId, "opportunity", externalId);
        var values = new JsonObject { ["name"] = name, ["amount"] = amount };
        await harness.Records.CreateAsync(new SyncRecordDocument
        {
            Id = id, TenantId = _tenant, IntegrationId = integrationId, EntityType = "opportunity", ExternalId = externalId, ShardId = shardId,
            Base = values, BaseHash = CanonicalJson.Hash(values), LastDirection = "inbound", LastSyncedAt = IsoTime.Format(DateTimeOffset.UtcNow), Deleted = deletedAt,
        }, CancellationToken.None);
        return id;
    }

    private JsonObject Shard(string integrationId, string externalId, string name, double amount, DateTimeOffset? syncedAt = null, DateTimeOffset? updatedAt = null) => new()
    {
        ["tenantId"] = _tenant, ["shardTypeId"] = "c_opportunity",
        ["structuredData"] = new JsonObject { ["name"] = name, ["amount"] = amount, ["daysInStage"] = 3 },
        ["metadata"] = new JsonObject
        {
            ["integrationId"] = integrationId, ["externalId"] = externalId, ["externalSource"] = integrationId,
            ["syncedAt"] = IsoTime.Format(syncedAt ?? DateTimeOffset.UtcNow.AddDays(-1)),
        },
        ["updatedAt"] = IsoTime.Format(updatedAt ?? DateTimeOffset.UtcNow),
    };
}
