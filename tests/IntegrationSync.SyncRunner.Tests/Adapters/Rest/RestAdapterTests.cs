using System.Text.Json.Nodes;
using IntegrationSync.SyncRunner.Adapters;
using IntegrationSync.SyncRunner.Adapters.Rest;
using IntegrationSync.SyncRunner.Tests.Fakes;
using IntegrationSync.TestSupport.VendorFakes;

namespace IntegrationSync.SyncRunner.Tests.Adapters.Rest;

public sealed class RestAdapterTests : TenantTargetContractTests<FakeRestApi, RestAdapter>
{
    protected override string EntityType => "item";

    protected override Task<FakeRestApi> StartFakeAsync() => FakeRestApi.StartAsync();

    protected override AdapterConnection Connection() => CursorPaging();

    protected override List<string> Seed(int count) =>
        Enumerable.Range(0, count).Select(i => (string)Fake.Add(new JsonObject { ["name"] = $"Item {i}" })["id"]!).ToList();

    private AdapterConnection CursorPaging(string? key = null) => AdapterServices.Connection("rest", new JsonObject
    {
        ["url"] = $"{Fake.BaseUrl}/cursor/items",
        ["authHeader"] = "X-Api-Key",
        ["authScheme"] = "",
        ["recordsPath"] = "data.items",
        ["paging"] = "cursor",
        ["cursorParam"] = "after",
        ["cursorPath"] = "meta.next",
    }, new JsonObject { ["apiKey"] = key ?? Fake.Faults.ValidToken });

    private AdapterConnection NextLinkPaging() => AdapterServices.Connection("rest", new JsonObject
    {
        ["url"] = $"{Fake.BaseUrl}/linked/items",
        ["authHeader"] = "X-Api-Key",
        ["authScheme"] = "",
        ["recordsPath"] = "items",
        ["paging"] = "next_link",
        ["nextLinkPath"] = "links.next",
    }, new JsonObject { ["apiKey"] = Fake.Faults.ValidToken });

    [Fact]
    public async Task Items_marked_by_the_configured_tombstone_field_are_reported_deleted_not_read()
    {
        var ids = Seed(7);
        Fake.Find(ids[1])!["meta"] = new JsonObject { ["deletedAt"] = "2026-03-01T08:00:00Z" };
        Fake.Find(ids[4])!["meta"] = new JsonObject { ["deletedAt"] = "" };
        Fake.Find(ids[5])!["meta"] = new JsonObject { ["deletedAt"] = true };
        var connection = CursorPaging();
        connection.Integration.Settings["deletedField"] = "meta.deletedAt";

        var pages = await Adapter.ReadAllAsync(connection, "item");

        Assert.Equal([ids[0], ids[2], ids[3], ids[4], ids[6]], pages.Ids());
        Assert.Equal([(ids[1], "2026-03-01T08:00:00Z"), (ids[5], null)], pages.SelectMany(p => p.Deleted).Select(d => (d.ExternalId, d.DeletedAt)));
        Assert.All(pages.SelectMany(p => p.Deleted), d => Assert.Equal(d.ExternalId, (string?)d.Data?["id"]));
    }

    [Fact]
    public async Task Cursor_paging_reads_every_item_once_in_order_and_passes_filters_as_query_parameters()
    {
        var expected = Seed(8);

        var pages = await Adapter.ReadAllAsync(CursorPaging(), "item", filters: new JsonObject { ["status"] = "open" });

        Assert.Equal(expected, pages.Ids());
        Assert.Equal(3, pages.Count);
        Assert.Null(pages[^1].NextCursor);
        Assert.Contains(Fake.Faults.Requests, r => r.Contains("status=open", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Next_link_paging_follows_relative_links_and_resumes_from_a_page_link()
    {
        var expected = Seed(7);

        var pages = await Adapter.ReadAllAsync(NextLinkPaging(), "item");
        var resumed = await Adapter.ReadAllAsync(NextLinkPaging(), "item", pages[0].NextCursor);

        Assert.Equal(expected, pages.Ids());
        Assert.Equal(expected[3..], resumed.Ids());
    }

    [Fact]
    public async Task A_cursor_resumes_after_the_last_item_of_its_page()
    {
        var expected = Seed(7);
        var first = (await Adapter.ReadAllAsync(CursorPaging(), "item"))[0];

        var rest = await Adapter.ReadAllAsync(CursorPaging(), "item", first.NextCursor);

        Assert.Equal(expected[3..], rest.Ids());
    }

    [Fact]
    public async Task Items_without_an_id_get_the_same_content_hash_on_every_read()
    {
        Fake.Add(new JsonObject { ["name"] = "No id", ["amount"] = 5 }, withId: false);
        Fake.Add(new JsonObject { ["name"] = "Other", ["amount"] = 6 }, withId: false);

        var first = (await Adapter.ReadAllAsync(CursorPaging(), "item")).Ids();
        var second = (await Adapter.ReadAllAsync(CursorPaging(), "item")).Ids();

        Assert.Equal(first, second);
        Assert.Equal(2, first.Distinct().Count());
        Assert.All(first, id => Assert.StartsWith("hash-", id));
    }

    [Fact]
    public async Task A_next_link_to_another_host_fails_the_read_and_the_credential_never_goes_there()
    {
        await using var elsewhere = await FakeRestApi.StartAsync();
        Seed(7);
        Fake.NextLinkBase = elsewhere.BaseUrl;

        var (pages, error) = await Adapter.ReadUntilFailureAsync(NextLinkPaging(), "item");

        Assert.Equal(AdapterErrorKind.Permanent, error.Kind);
        Assert.Contains("paging link", error.Message);
        Assert.Empty(pages);
        Assert.Empty(elsewhere.Faults.Requests);
    }

    [Theory]
    [InlineData("http://169.254.169.254/latest/meta-data?page=1")]
    [InlineData("http://user:pw@{host}/linked/items?page=1")]
    [InlineData("//evil.example/linked/items?page=1")]
    public async Task A_stored_next_link_cursor_off_the_configured_host_is_refused_before_any_request(string cursor)
    {
        Seed(4);

        var error = await Assert.ThrowsAsync<AdapterException>(() =>
            Adapter.ReadAllAsync(NextLinkPaging(), "item", cursor.Replace("{host}", new Uri(Fake.BaseUrl).Authority, StringComparison.Ordinal)));

        Assert.Equal(AdapterErrorKind.Permanent, error.Kind);
        Assert.Empty(Fake.Faults.Requests);
    }

    [Theory]
    [InlineData("Host")]
    [InlineData("Transfer-Encoding")]
    [InlineData("X-Api-Key: x")]
    public async Task An_auth_header_that_is_not_a_credential_header_is_a_settings_error(string header)
    {
        var connection = AdapterServices.Connection("rest", new JsonObject { ["url"] = $"{Fake.BaseUrl}/cursor/items", ["authHeader"] = header },
            new JsonObject { ["apiKey"] = Fake.Faults.ValidToken });

        var error = await Assert.ThrowsAsync<AdapterException>(() => Adapter.ReadAllAsync(connection, "item"));

        Assert.Equal(AdapterErrorKind.Permanent, error.Kind);
        Assert.Contains("authHeader", error.Message);
        Assert.Empty(Fake.Faults.Requests);
    }

    [Fact]
    public async Task A_bad_request_and_incomplete_settings_are_permanent_errors()
    {
        var broken = AdapterServices.Connection("rest", new JsonObject { ["url"] = $"{Fake.BaseUrl}/broken/items", ["authHeader"] = "X-Api-Key", ["authScheme"] = "" },
            new JsonObject { ["apiKey"] = Fake.Faults.ValidToken });
        var incomplete = AdapterServices.Connection("rest", new JsonObject { ["url"] = $"{Fake.BaseUrl}/cursor/items", ["paging"] = "cursor" });

        var refused = await Assert.ThrowsAsync<AdapterException>(() => Adapter.ReadAllAsync(broken, "item"));
        var misconfigured = await Assert.ThrowsAsync<AdapterException>(() => Adapter.ReadAllAsync(incomplete, "item"));

        Assert.Equal(AdapterErrorKind.Permanent, refused.Kind);
        Assert.Equal(AdapterErrorKind.Permanent, misconfigured.Kind);
        Assert.Contains("cursorPath", misconfigured.Message);
    }

    [Fact]
    public async Task Reads_one_item_from_a_data_wrapper_and_null_for_an_unknown_id()
    {
        var id = Seed(2)[1];

        var found = await Adapter.ReadOneAsync(new AdapterRecordRequest(CursorPaging(), "item", id), CancellationToken.None);
        var missing = await Adapter.ReadOneAsync(new AdapterRecordRequest(CursorPaging(), "item", "item-999"), CancellationToken.None);

        Assert.Equal("Item 1", (string)found!.Data["name"]!);
        Assert.Equal("\"1\"", found.Version);
        Assert.Null(missing);
    }

    [Fact]
    public async Task Creates_then_updates_with_If_Match_and_a_stale_ETag_is_a_conflict()
    {
        var created = await Adapter.WriteAsync(new AdapterWriteRequest(CursorPaging(), "item", null, new JsonObject { ["name"] = "Created" }, null), CancellationToken.None);

        var updated = await Adapter.WriteAsync(new AdapterWriteRequest(CursorPaging(), "item", created.ExternalId,
            new JsonObject { ["name"] = "Updated" }, created.Version), CancellationToken.None);
        var stale = await Assert.ThrowsAsync<AdapterException>(() => Adapter.WriteAsync(new AdapterWriteRequest(CursorPaging(), "item",
            created.ExternalId, new JsonObject { ["name"] = "Stale" }, created.Version), CancellationToken.None));

        Assert.True(created.Created);
        Assert.Equal("\"2\"", updated.Version);
        Assert.Equal(AdapterErrorKind.Conflict, stale.Kind);
        Assert.Equal("Updated", (string)Fake.Find(created.ExternalId)!["name"]!);
    }
}
