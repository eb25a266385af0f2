using System.Net.Http.Json;
using System.Text.Json.Nodes;
using IntegrationSync.Fleet.Tests.Runner;
using IntegrationSync.Fleet.Tests.Runner.Vendors;
using IntegrationSync.Shared.Contracts.Events;
using IntegrationSync.Shared.Sync;
using IntegrationSync.Shared.SyncState;
using IntegrationSync.TestSupport.VendorFakes;

namespace IntegrationSync.Fleet.Tests.Bidirectional;

/// <summary>The fleet against vendor fakes, pushes coalesced briefly and swept often, and the stand-in mapper writing shards.</summary>
public sealed class BidirectionalFleet : FleetHarness
{
    public const string Collection = "bidirectional fleet";

    protected override IEnumerable<string> ExtraArgs =>
    [
        "--sync_limits:min_interval_minutes=0", "--bidirectional:coalesce_ms=100", "--bidirectional:sweep_interval_seconds=2",
        "--bidirectional:redispatch_after_seconds=5", "--adapter_http:retry_delay_ms=20", "--deletions:mass_delete_minimum=3",
        .. VendorFleet.VendorFakeAccess,
    ];

    public SyncRecordRepository Records => new(Database.Containers);

    /// <summary>A Salesforce integration (by default one that takes writes back), mapping Opportunity <c>Name</c> and <c>Amount</c> to <c>name</c> and <c>amount</c>.</summary>
    public async Task<string> AddSalesforceAsync(
        FakeSalesforce vendor, string strategy, JsonObject? settings = null, JsonObject? writeBack = null, string direction = "bidirectional")
    {
        var secret = $"salesforce-{Guid.NewGuid():N}";
        await SetSecretAsync(secret, VendorIntegrations.SalesforceCredentials(vendor, vendor.Faults.ValidToken));
        var all = settings ?? [];
        all["fields"] = "Name,Amount";
        return await AddIntegrationAsync("salesforce", all, secret, new JsonObject
        {
            ["syncDirection"] = direction,
            ["conflictResolution"] = strategy,
            ["writeBack"] = writeBack ?? [],
            ["entityMappings"] = new JsonArray(new JsonObject
            {
                ["id"] = "m1", ["externalEntity"] = "opportunity", ["shardTypeId"] = "c_opportunity", ["enabled"] = true,
                ["fieldMappings"] = new JsonArray(
                    new JsonObject { ["externalField"] = "Name", ["shardField"] = "name" },
                    new JsonObject { ["externalField"] = "Amount", ["shardField"] = "amount" }),
            }),
        });
    }

    public async Task<List<JsonObject>> ShardsAsync() =>
        (await Peers.GetFromJsonAsync<JsonObject>($"/_peers/shards?tenantId={TenantId}"))!["items"]!.AsArray().Select(s => s!.AsObject()).ToList();

    /// <summary>The shard the mapper wrote for a vendor record (vendor fakes reuse ids, so per integration).</summary>
    public async Task<JsonObject> ShardOfAsync(string integrationId, string externalId) =>
        (await ShardsAsync()).Single(s => (string?)s["metadata"]?["externalId"] == externalId && (string?)s["metadata"]?["integrationId"] == integrationId);

    /// <summary>A Castiel user edits the shard (shard-manager's update, with its <c>shard.updated</c>).</summary>
    public async Task EditShardAsync(string shardId, JsonObject structuredData) =>
        (await Peers.PostAsJsonAsync($"/_peers/shards/{shardId}/edit?tenantId={TenantId}", new JsonObject { ["structuredData"] = structuredData }))
            .EnsureSuccessStatusCode();

    /// <summary>A Castiel user deletes the shard (shard-manager's soft delete, with its <c>shard.deleted</c>).</summary>
    public async Task DeleteShardAsync(string shardId) =>
        (await Peers.PostAsync($"/_peers/shards/{shardId}/delete?tenantId={TenantId}", null)).EnsureSuccessStatusCode();

    /// <summary>A vendor record pulled once: its integration, id and the shard the mapper made of it.</summary>
    public async Task<(string IntegrationId, string ExternalId, string ShardId)> SyncedRecordAsync(
        FakeSalesforce vendor, string strategy, JsonObject? writeBack = null)
    {
        var externalId = vendor.Seed(1)[0];
        var integrationId = await AddSalesforceAsync(vendor, strategy, writeBack: writeBack);
        await PullAsync(integrationId);
        return (integrationId, externalId, (string)(await ShardOfAsync(integrationId, externalId))["id"]!);
    }

    /// <summary>An inbound sync of the integration, until it completed (mapping results included).</summary>
    public async Task<ExecutionDocument> PullAsync(string integrationId)
    {
        var taskId = await TriggerAsync(integrationId, "inbound");
        await WaitForTaskAsync(taskId, SyncStatus.Completed, FleetRuns.Wait);
        return await this.ExecutionAsync(taskId);
    }

    /// <summary>The one raw event a push sent the mapper for the integration's record (waiting for it), with its envelope.</summary>
    public async Task<TestSupport.WireMessage> PulledRecordAsync(string integrationId)
    {
        bool Pulled(TestSupport.WireMessage m) => m.Data<DataRaw>() is { SyncTaskId: DataRaw.PushTaskId } d && d.IntegrationId == integrationId;
        await FleetRuns.EventuallyAsync(() => Wire.OfType(Shared.Contracts.EventNames.DataRaw).Any(Pulled), "the raw event of a vendor record a push took");
        return Assert.Single(Wire.OfType(Shared.Contracts.EventNames.DataRaw), Pulled);
    }

    public Task<SyncRecordDocument?> RecordAsync(string integrationId, string externalId) =>
        Records.ReadAsync(TenantId, SyncRecordDocument.IdFor(TenantId, integrationId, "opportunity", externalId), CancellationToken.None);

    /// <summary>A shard created in Castiel for the integration, not yet at the vendor.</summary>
    public async Task<string> CreateShardAsync(string integrationId, JsonObject structuredData)
    {
        var id = Guid.NewGuid().ToString();
        (await Peers.PutAsJsonAsync($"/_peers/shards/{id}", new JsonObject
        {
            ["tenantId"] = TenantId, ["shardTypeId"] = "c_opportunity", ["status"] = "active", ["structuredData"] = structuredData,
            ["metadata"] = new JsonObject { ["integrationId"] = integrationId }, ["updatedAt"] = Shared.Contracts.IsoTime.Format(DateTimeOffset.UtcNow.AddMinutes(-1)),
        })).EnsureSuccessStatusCode();
        return id;
    }

    public async Task<string> TriggerAsync(string integrationId, string direction)
    {
        var response = await Api.PostAsJsonAsync("/api/v1/sync/trigger", new { integrationId, direction });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["taskId"]!.GetValue<string>();
    }
}

[CollectionDefinition(BidirectionalFleet.Collection)]
public sealed class BidirectionalFleetCollection : ICollectionFixture<BidirectionalFleet>;
