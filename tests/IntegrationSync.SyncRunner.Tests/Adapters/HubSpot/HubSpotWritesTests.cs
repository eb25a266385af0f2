using System.Text.Json.Nodes;
using IntegrationSync.SyncRunner.Adapters;
using IntegrationSync.SyncRunner.Adapters.HubSpot;
using IntegrationSync.SyncRunner.Tests.Adapters.Writes;
using IntegrationSync.SyncRunner.Tests.Fakes;
using IntegrationSync.TestSupport.VendorFakes;

namespace IntegrationSync.SyncRunner.Tests.Adapters.HubSpot;

public sealed class HubSpotWritesTests : VendorWriteTests<FakeHubSpot, HubSpotAdapter>
{
    protected override Task<FakeHubSpot> StartFakeAsync() => FakeHubSpot.StartAsync();

    private AdapterConnection Connection(string? idProperty = null)
    {
        var settings = new JsonObject { ["baseUrl"] = Fake.BaseUrl, ["properties"] = "dealname,amount" };
        if (idProperty is not null)
        {
            settings["externalIdProperty"] = idProperty;
        }
        return AdapterServices.Connection("hubspot", settings, new JsonObject { ["accessToken"] = Fake.Faults.ValidToken });
    }

    [Fact]
    public async Task A_create_upserts_on_the_unique_property_so_a_retry_creates_nothing_more()
    {
        var first = await WriteAsync(Connection("castiel_id"), "opportunity", null, new JsonObject { ["dealname"] = "From Castiel" }, upsertKey: "shard-1");
        var retry = await WriteAsync(Connection("castiel_id"), "opportunity", null, new JsonObject { ["dealname"] = "From Castiel" }, upsertKey: "shard-1");

        Assert.True(first.Created);
        Assert.False(retry.Created);
        Assert.Equal(first.ExternalId, retry.ExternalId);
        Assert.Single(Fake.Deals);
        Assert.Equal("shard-1", (string)Fake.Deals[0]["properties"]!["castiel_id"]!);
    }

    [Fact]
    public async Task An_update_against_a_record_changed_since_its_version_is_refused_by_the_re_read()
    {
        var id = (string)Fake.Add("Deal", DateTimeOffset.UtcNow.AddMinutes(-5))["id"]!;
        var read = await ReadAsync(Connection(), "opportunity", id);
        Fake.Change(id, new JsonObject { ["amount"] = "7" });

        var stale = await Assert.ThrowsAsync<AdapterException>(() => WriteAsync(Connection(), "opportunity", id, new JsonObject { ["amount"] = "9" }, read!.Version));

        Assert.Equal(AdapterErrorKind.Conflict, stale.Kind);
        Assert.Equal("7", (string)Fake.Find(id)!["properties"]!["amount"]!);
        Assert.Equal(0, Fake.Writes);
    }

    [Fact]
    public async Task A_delete_archives_the_record_and_a_missing_record_is_no_error()
    {
        var id = (string)Fake.Add("Deal", DateTimeOffset.UtcNow.AddMinutes(-5))["id"]!;
        var read = await ReadAsync(Connection(), "opportunity", id);

        await DeleteAsync(Connection(), "opportunity", id, read!.Version);
        await DeleteAsync(Connection(), "opportunity", id);

        Assert.Null(Fake.Find(id));
        Assert.Equal(1, Fake.Writes);
    }
}
