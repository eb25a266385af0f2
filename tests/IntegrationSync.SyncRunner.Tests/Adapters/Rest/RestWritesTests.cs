using System.Text.Json.Nodes;
using IntegrationSync.SyncRunner.Adapters;
using IntegrationSync.SyncRunner.Adapters.Rest;
using IntegrationSync.SyncRunner.Tests.Adapters.Writes;
using IntegrationSync.SyncRunner.Tests.Fakes;
using IntegrationSync.TestSupport.VendorFakes;

namespace IntegrationSync.SyncRunner.Tests.Adapters.Rest;

public sealed class RestWritesTests : VendorWriteTests<FakeRestApi, RestAdapter>
{
    protected override Task<FakeRestApi> StartFakeAsync() => FakeRestApi.StartAsync();

    private AdapterConnection Connection(string? createMethod = null)
    {
        var settings = new JsonObject
        {
            ["url"] = $"{Fake.BaseUrl}/cursor/items", ["authHeader"] = "X-Api-Key", ["authScheme"] = "", ["recordsPath"] = "data.items",
        };
        if (createMethod is not null)
        {
            settings["createMethod"] = createMethod;
        }
        return AdapterServices.Connection("rest", settings, new JsonObject { ["apiKey"] = Fake.Faults.ValidToken });
    }

    [Fact]
    public async Task A_create_at_a_chosen_id_is_a_PUT_so_a_retry_creates_nothing_more()
    {
        var first = await WriteAsync(Connection("PUT"), "item", null, new JsonObject { ["name"] = "From Castiel" }, upsertKey: "shard-1");
        var retry = await WriteAsync(Connection("PUT"), "item", null, new JsonObject { ["name"] = "From Castiel" }, upsertKey: "shard-1");

        Assert.Equal(("shard-1", true), (first.ExternalId, first.Created));
        Assert.Equal(("shard-1", false), (retry.ExternalId, retry.Created));
        Assert.Single(Fake.Items);
    }

    [Fact]
    public async Task A_POST_create_sends_the_Castiel_id_as_Idempotency_Key_so_a_retry_creates_nothing_more()
    {
        var first = await WriteAsync(Connection(), "item", null, new JsonObject { ["name"] = "From Castiel" }, upsertKey: "shard-1");
        var retry = await WriteAsync(Connection(), "item", null, new JsonObject { ["name"] = "From Castiel" }, upsertKey: "shard-1");

        Assert.Equal(first.ExternalId, retry.ExternalId);
        Assert.Single(Fake.Items);
        Assert.Equal(1, Fake.Writes);
    }

    [Fact]
    public async Task A_delete_with_a_stale_version_is_a_conflict_and_with_the_current_one_removes_the_item()
    {
        var id = (string)Fake.Add(new JsonObject { ["name"] = "Item" })["id"]!;
        var read = await ReadAsync(Connection(), "item", id);
        Fake.Change(id, new JsonObject { ["name"] = "Changed" });

        var error = await Assert.ThrowsAsync<AdapterException>(() => DeleteAsync(Connection(), "item", id, read!.Version));
        await DeleteAsync(Connection(), "item", id, (await ReadAsync(Connection(), "item", id))!.Version);
        await DeleteAsync(Connection(), "item", id);

        Assert.Equal(AdapterErrorKind.Conflict, error.Kind);
        Assert.Null(Fake.Find(id));
    }
}
