using System.Text.Json.Nodes;
using IntegrationSync.SyncRunner.Adapters;
using IntegrationSync.SyncRunner.Adapters.Salesforce;
using IntegrationSync.SyncRunner.Tests.Adapters.Writes;
using IntegrationSync.SyncRunner.Tests.Fakes;
using IntegrationSync.TestSupport.VendorFakes;

namespace IntegrationSync.SyncRunner.Tests.Adapters.Salesforce;

public sealed class SalesforceWritesTests : VendorWriteTests<FakeSalesforce, SalesforceAdapter>
{
    protected override Task<FakeSalesforce> StartFakeAsync() => FakeSalesforce.StartAsync();

    private AdapterConnection Connection(string? externalIdField = null) => AdapterServices.Connection("salesforce",
        externalIdField is null ? [] : new JsonObject { ["externalIdField"] = externalIdField },
        new JsonObject { ["instanceUrl"] = Fake.InstanceUrl, ["accessToken"] = Fake.Faults.ValidToken });

    [Fact]
    public async Task An_update_returns_the_new_SystemModstamp_and_names_the_writer_for_change_data_capture()
    {
        var id = (string)Fake.Add("Deal", DateTimeOffset.UtcNow.AddMinutes(-5))["Id"]!;
        var before = await ReadAsync(Connection(), "opportunity", id);

        var written = await WriteAsync(Connection(), "opportunity", id, new JsonObject { ["Amount"] = 5 }, before!.Version, writerTag: "integration-sync");

        Assert.Equal((string)Fake.Find(id)!["SystemModstamp"]!, written.Version);
        Assert.NotEqual(before.Version, written.Version);
        Assert.Equal(["client=integration-sync"], Fake.WriteOrigins);
    }

    [Fact]
    public async Task A_create_upserts_on_the_external_id_field_so_a_retry_creates_nothing_more()
    {
        var first = await WriteAsync(Connection("Castiel_Id__c"), "opportunity", null, new JsonObject { ["Name"] = "From Castiel" }, upsertKey: "shard-1");
        var retry = await WriteAsync(Connection("Castiel_Id__c"), "opportunity", null, new JsonObject { ["Name"] = "From Castiel" }, upsertKey: "shard-1");

        Assert.True(first.Created);
        Assert.False(retry.Created);
        Assert.Equal(first.ExternalId, retry.ExternalId);
        Assert.Single(Fake.Opportunities);
        Assert.Equal("shard-1", (string)Fake.Opportunities[0]["Castiel_Id__c"]!);
        Assert.NotNull(first.Version);
    }

    [Fact]
    public async Task A_delete_removes_the_record_a_stale_version_is_a_conflict_and_a_missing_record_is_no_error()
    {
        var id = (string)Fake.Add("Deal", DateTimeOffset.UtcNow.AddMinutes(-5))["Id"]!;
        var read = await ReadAsync(Connection(), "opportunity", id);
        Fake.Change(id, new JsonObject { ["Amount"] = 1 });

        var stale = await Assert.ThrowsAsync<AdapterException>(() => DeleteAsync(Connection(), "opportunity", id, read!.Version));
        Assert.Equal(AdapterErrorKind.Conflict, stale.Kind);
        Assert.NotNull(Fake.Find(id));

        await DeleteAsync(Connection(), "opportunity", id, (await ReadAsync(Connection(), "opportunity", id))!.Version);
        await DeleteAsync(Connection(), "opportunity", id);

        Assert.Null(Fake.Find(id));
        Assert.Equal(1, Fake.Writes);
    }
}
