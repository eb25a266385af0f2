using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using IntegrationSync.Fleet.Tests.Runner;
using IntegrationSync.Fleet.Tests.Runner.Vendors;
using IntegrationSync.Shared.Conflicts;
using IntegrationSync.Shared.Contracts;
using IntegrationSync.Shared.Contracts.Commands;
using IntegrationSync.Shared.Contracts.Events;
using IntegrationSync.Shared.Sync;
using IntegrationSync.Shared.SyncState;
using IntegrationSync.TestSupport.VendorFakes;

namespace IntegrationSync.Fleet.Tests.Bidirectional;

/// <summary>Conflicts a person resolves through the API, applied to both sides; and a vendor's 412, which becomes a conflict.</summary>
[Collection(BidirectionalFleet.Collection)]
public sealed class ConflictResolutionTests(BidirectionalFleet fleet)
{
    [Fact]
    public async Task A_manual_conflict_waits_for_a_person_whose_choice_is_pushed_to_the_vendor_and_written_to_the_shard()
    {
        await using var salesforce = await FakeSalesforce.StartAsync();
        var (integrationId, externalId, shardId) = await fleet.SyncedRecordAsync(salesforce, "manual");

        var conflict = await ConflictAfterBothSidesChangeAsync(salesforce, integrationId, externalId, shardId, castielAmount: 200, vendorAmount: 300);
        var resolved = await fleet.Api.PostAsJsonAsync($"/api/v1/sync/conflicts/{conflict}/resolve", new { resolution = "custom", fields = new { amount = 250 } });
        var again = await fleet.Api.PostAsJsonAsync($"/api/v1/sync/conflicts/{conflict}/resolve", new { resolution = "custom", fields = new { amount = 250 } });

        Assert.Equal(HttpStatusCode.OK, resolved.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var body = (await resolved.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal((ConflictStatus.Resolved, true), (body["status"]!.GetValue<string>(), body["resolved"]!.GetValue<bool>()));
        Assert.Equal(250, (int)salesforce.Find(externalId)!["Amount"]!);
        // The shard gets the record as the vendor holds it after the write, through the mapper.
        var pulled = (await fleet.PulledRecordAsync(integrationId)).Data<DataRaw>();
        Assert.Equal((externalId, "Deal 0", 250), (pulled.ExternalId, (string)pulled.RawData!["Name"]!, (int)pulled.RawData["Amount"]!));
        await FleetRuns.EventuallyAsync(() => (int?)fleet.ShardOfAsync(integrationId, externalId).Result["structuredData"]?["amount"] == 250, "the shard to take the chosen amount");
        Assert.Single(fleet.Wire.OfType(EventNames.ConflictDetected), m => m.Data<ConflictDetected>().ConflictId == conflict);
        var record = await fleet.Records.ReadAsync(fleet.TenantId, SyncRecordDocument.IdFor(fleet.TenantId, integrationId, "opportunity", externalId), CancellationToken.None);
        Assert.Equal((null, 250), (record!.OpenConflictId, (int)record.Base!["amount"]!));
    }

    [Fact]
    public async Task A_source_wins_choice_sends_the_vendors_record_to_the_mapper_whose_shard_update_is_an_echo_not_a_second_push()
    {
        await using var salesforce = await FakeSalesforce.StartAsync();
        var ids = salesforce.Seed(2);
        var integrationId = await fleet.AddSalesforceAsync(salesforce, "manual");
        await fleet.PullAsync(integrationId);
        var (shardId, other) = ((string)(await fleet.ShardOfAsync(integrationId, ids[0]))["id"]!, (string)(await fleet.ShardOfAsync(integrationId, ids[1]))["id"]!);
        var conflict = await ConflictAfterBothSidesChangeAsync(salesforce, integrationId, ids[0], shardId, castielAmount: 200, vendorAmount: 300);
        var updatesBefore = ShardUpdates(shardId);

        var resolved = await fleet.Api.PostAsJsonAsync($"/api/v1/sync/conflicts/{conflict}/resolve", new { resolution = "source_wins" });

        Assert.Equal(HttpStatusCode.OK, resolved.StatusCode);
        var raw = await fleet.PulledRecordAsync(integrationId);
        var pulled = raw.Data<DataRaw>();
        Assert.Equal((fleet.TenantId, ids[0], "opportunity", "Deal 0", 300), (pulled.TenantId, pulled.ExternalId, pulled.EntityType,
            (string)pulled.RawData!["Name"]!, (int)pulled.RawData["Amount"]!));
        Assert.Equal((pulled.CorrelationId, fleet.TenantId), (raw.Envelope.Metadata?.CorrelationId, raw.Envelope.TenantId));
        // The mapper applied it (its result echoes the push's task id), and its update is the shard's only one since.
        await FleetRuns.EventuallyAsync(() => fleet.Wire.OfType(EventNames.DataMapped).Any(m => m.Data<DataMapped>().IdempotencyKey == pulled.IdempotencyKey),
            "the mapper's result");
        await FleetRuns.EventuallyAsync(() => (int?)fleet.ShardOfAsync(integrationId, ids[0]).Result["structuredData"]?["amount"] == 300,
            "the shard to take the vendor's amount");
        await FleetRuns.EventuallyAsync(() => ShardUpdates(shardId) == updatesBefore + 1, "the mapper's shard.updated");
        // A later change of another record goes through event-consumer after the mapper's update did: that one was an echo.
        await fleet.EditShardAsync(other, new JsonObject { ["name"] = "Deal 1 from Castiel", ["amount"] = 11 });
        await FleetRuns.EventuallyAsync(() => fleet.Wire.OfType(EventNames.DataSynced).Any(m => m.Data<DataSynced>().ShardId == other), "the other record's push");
        Assert.Single(fleet.Wire.OfType(EventNames.SyncOutbound), m => m.Data<SyncOutbound>().ShardId == shardId);
        Assert.Equal(updatesBefore + 1, ShardUpdates(shardId));
        Assert.Equal((1, 300), (salesforce.Writes, (int)salesforce.Find(ids[0])!["Amount"]!));
        var record = await fleet.RecordAsync(integrationId, ids[0]);
        Assert.Equal((null, 300, null), (record!.OpenConflictId, (int)record.Base!["amount"]!, record.Pending));
    }

    [Fact]
    public async Task A_record_waiting_for_a_person_holds_only_itself_while_other_records_are_pushed()
    {
        await using var salesforce = await FakeSalesforce.StartAsync();
        var ids = salesforce.Seed(2);
        var integrationId = await fleet.AddSalesforceAsync(salesforce, "manual");
        await fleet.PullAsync(integrationId);
        var (held, free) = ((string)(await fleet.ShardOfAsync(integrationId, ids[0]))["id"]!, (string)(await fleet.ShardOfAsync(integrationId, ids[1]))["id"]!);
        var conflict = await ConflictAfterBothSidesChangeAsync(salesforce, integrationId, ids[0], held, castielAmount: 200, vendorAmount: 300);

        await fleet.EditShardAsync(held, new JsonObject { ["name"] = "Deal 0 edited again", ["amount"] = 201 });
        await FleetRuns.EventuallyAsync(() => fleet.RecordAsync(integrationId, ids[0]).Result?.Pending is not null, "the held record's new change");
        await fleet.EditShardAsync(free, new JsonObject { ["name"] = "Deal 1 from Castiel", ["amount"] = 11 });
        await FleetRuns.EventuallyAsync(() => (string?)salesforce.Find(ids[1])!["Name"] == "Deal 1 from Castiel", "the other record's push");

        // The held record's vendor side and its conflict are as the person will find them; its new change waits with the conflict.
        Assert.Equal(("Deal 0", 300), ((string)salesforce.Find(ids[0])!["Name"]!, (int)salesforce.Find(ids[0])!["Amount"]!));
        Assert.Equal(1, salesforce.Writes);
        var record = await fleet.RecordAsync(integrationId, ids[0]);
        Assert.Equal(conflict, record!.OpenConflictId);
        Assert.NotNull(record.Pending);
        Assert.Equal(ConflictStatus.Open, (await fleet.Api.GetFromJsonAsync<JsonObject>($"/api/v1/sync/conflicts/{conflict}"))!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_choice_made_after_the_record_changed_again_is_refused_with_a_fresh_conflict()
    {
        await using var salesforce = await FakeSalesforce.StartAsync();
        var (integrationId, externalId, shardId) = await fleet.SyncedRecordAsync(salesforce, "manual");
        var conflict = await ConflictAfterBothSidesChangeAsync(salesforce, integrationId, externalId, shardId, castielAmount: 200, vendorAmount: 300);
        var writes = salesforce.Writes;

        salesforce.Change(externalId, new JsonObject { ["Amount"] = 400 });
        var stale = await fleet.Api.PostAsJsonAsync($"/api/v1/sync/conflicts/{conflict}/resolve", new { resolution = "target_wins" });

        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        var error = (await stale.Content.ReadFromJsonAsync<JsonObject>())!["error"]!;
        Assert.Equal("CONFLICT_STALE", error["code"]!.GetValue<string>());
        var fresh = error["details"]![0]!["message"]!.GetValue<string>();
        var freshConflict = (await fleet.Api.GetFromJsonAsync<JsonObject>($"/api/v1/sync/conflicts/{fresh}"))!;
        Assert.Equal((ConflictStatus.Open, 400), (freshConflict["status"]!.GetValue<string>(), (int)freshConflict["remoteVersion"]!["amount"]!));
        Assert.Equal(writes, salesforce.Writes);
        Assert.Equal(400, (int)salesforce.Find(externalId)!["Amount"]!);
    }

    [Fact]
    public async Task A_vendor_that_refuses_the_write_with_412_makes_a_conflict_and_keeps_its_record()
    {
        await using var salesforce = await FakeSalesforce.StartAsync();
        var (integrationId, externalId, shardId) = await fleet.SyncedRecordAsync(salesforce, "target_wins");

        // The push reads the record, then its PATCH is answered 412, as when the record changed between the two.
        salesforce.Faults.Script(FaultPlan.Serve, 412);
        await fleet.EditShardAsync(shardId, new JsonObject { ["name"] = "Refused", ["amount"] = 5 });

        var detected = await WaitForConflictAsync(integrationId);
        Assert.Equal(ConflictKinds.WriteRejected, detected.Data<ConflictDetected>().Kind);
        Assert.Equal("Deal 0", (string)salesforce.Find(externalId)!["Name"]!);
        Assert.Equal(0, salesforce.Writes);
    }

    private int ShardUpdates(string shardId) => fleet.Wire.OfType("shard.updated").Count(m => m.Data<ShardUpdated>().ShardId == shardId);

    private async Task<string> ConflictAfterBothSidesChangeAsync(
        FakeSalesforce salesforce, string integrationId, string externalId, string shardId, int castielAmount, int vendorAmount)
    {
        salesforce.Change(externalId, new JsonObject { ["Amount"] = vendorAmount });
        await fleet.EditShardAsync(shardId, new JsonObject { ["name"] = "Deal 0", ["amount"] = castielAmount });
        var conflictId = (await WaitForConflictAsync(integrationId)).Data<ConflictDetected>().ConflictId;
        var conflict = (await fleet.Api.GetFromJsonAsync<JsonObject>($"/api/v1/sync/conflicts/{conflictId}"))!;
        Assert.Equal(ConflictStatus.Open, conflict["status"]!.GetValue<string>());
        var changed = Assert.Single(conflict["changedFields"]!.AsArray());
        Assert.Equal(("amount", "both", castielAmount, vendorAmount), (changed!["field"]!.GetValue<string>(), changed["changedOn"]!.GetValue<string>(),
            (int)changed["local"]!, (int)changed["remote"]!));
        return conflictId;
    }

    private async Task<TestSupport.WireMessage> WaitForConflictAsync(string integrationId)
    {
        await FleetRuns.EventuallyAsync(() => fleet.Wire.OfType(EventNames.ConflictDetected).Any(m => m.Data<ConflictDetected>().IntegrationId == integrationId),
            "integration.conflict.detected");
        return fleet.Wire.OfType(EventNames.ConflictDetected).Last(m => m.Data<ConflictDetected>().IntegrationId == integrationId);
    }
}
