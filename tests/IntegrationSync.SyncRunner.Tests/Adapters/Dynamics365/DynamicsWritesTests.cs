using System.Text.Json.Nodes;
using IntegrationSync.SyncRunner.Adapters;
using IntegrationSync.SyncRunner.Adapters.Dynamics365;
using IntegrationSync.SyncRunner.Tests.Adapters.Writes;
using IntegrationSync.SyncRunner.Tests.Fakes;
using IntegrationSync.TestSupport.VendorFakes;

namespace IntegrationSync.SyncRunner.Tests.Adapters.Dynamics365;

public sealed class DynamicsWritesTests : VendorWriteTests<FakeDynamics, Dynamics365Adapter>
{
    protected override Task<FakeDynamics> StartFakeAsync() => FakeDynamics.StartAsync();

    private AdapterConnection Connection(string? alternateKey = null)
    {
        var settings = new JsonObject { ["environmentUrl"] = Fake.EnvironmentUrl };
        if (alternateKey is not null)
        {
            settings["alternateKey"] = alternateKey;
        }
        return AdapterServices.Connection("dynamics365", settings, new JsonObject { ["accessToken"] = Fake.Faults.ValidToken });
    }

    [Fact]
    public async Task An_update_carries_the_Dataverse_tag_and_returns_the_new_ETag()
    {
        var account = Fake.Add("Contoso", DateTimeOffset.UtcNow.AddMinutes(-5));
        var id = (string)account["accountid"]!;

        var written = await WriteAsync(Connection(), "account", id, new JsonObject { ["name"] = "Contoso Ltd" }, (string)account["@odata.etag"]!,
            writerTag: "integration-sync");

        Assert.Equal((string)Fake.Find(id)!["@odata.etag"]!, written.Version);
        Assert.Equal(["integration-sync"], Fake.Tags);
    }

    [Fact]
    public async Task A_create_upserts_on_the_alternate_key_so_a_retry_creates_nothing_more()
    {
        var first = await WriteAsync(Connection("castiel_shardid"), "account", null, new JsonObject { ["name"] = "From Castiel" }, upsertKey: "shard-'1'");
        var retry = await WriteAsync(Connection("castiel_shardid"), "account", null, new JsonObject { ["name"] = "From Castiel" }, upsertKey: "shard-'1'");

        Assert.True(first.Created);
        Assert.False(retry.Created);
        Assert.Equal(first.ExternalId, retry.ExternalId);
        Assert.Single(Fake.Accounts);
        Assert.Equal("shard-'1'", (string)Fake.Accounts[0]["castiel_shardid"]!);
    }

    [Fact]
    public async Task A_delete_with_a_stale_ETag_is_a_conflict_and_with_the_current_one_removes_the_record()
    {
        var account = Fake.Add("Contoso", DateTimeOffset.UtcNow.AddMinutes(-5));
        var id = (string)account["accountid"]!;
        var stale = (string)account["@odata.etag"]!;
        Fake.Change(id, new JsonObject { ["name"] = "Changed" });

        var error = await Assert.ThrowsAsync<AdapterException>(() => DeleteAsync(Connection(), "account", id, stale));
        await DeleteAsync(Connection(), "account", id, (string)Fake.Find(id)!["@odata.etag"]!);
        await DeleteAsync(Connection(), "account", id);

        Assert.Equal(AdapterErrorKind.Conflict, error.Kind);
        Assert.Null(Fake.Find(id));
    }
}
