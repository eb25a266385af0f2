using System.Text.Json.Nodes;
using IntegrationSync.SyncRunner.Adapters;
using IntegrationSync.SyncRunner.Adapters.Rest;
using IntegrationSync.SyncRunner.Tests.Fakes;
using IntegrationSync.TestSupport.VendorFakes;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationSync.SyncRunner.Tests.Adapters.Rest;

public sealed class RestAdapterTests : IAsyncLifetime
{
    private FakeRestApi _fake = null!;
    private ServiceProvider _services = null!;
    private RestAdapter _adapter = null!;

    public async Task InitializeAsync()
    {
        _fake = await FakeRestApi.StartAsync();
        _services = AdapterServices.Build();
        _adapter = _services.Adapter<RestAdapter>();
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _fake.DisposeAsync();
    }

    private AdapterConnection CursorPaging(string? key = null) => AdapterServices.Connection("rest", new JsonObject
    {
        ["url"] = $"{_fake.BaseUrl}/cursor/items",
        ["authHeader"] = "X-Api-Key",
        ["authScheme"] = "",
        ["recordsPath"] = "data.items",
        ["paging"] = "cursor",
        ["cursorParam"] = "after",
        ["cursorPath"] = "meta.next",
    }, new JsonObject { ["apiKey"] = key ?? _fake.Faults.ValidToken });

    private AdapterConnection NextLinkPaging() => AdapterServices.Connection("rest", new JsonObject
    {
        ["url"] = $"{_fake.BaseUrl}/linked/items",
        ["authHeader"] = "X-Api-Key",
        ["authScheme"] = "",
        ["recordsPath"] = "items",
        ["paging"] = "next_link",
        ["nextLinkPath"] = "links.next",
    }, new JsonObject { ["apiKey"] = _fake.Faults.ValidToken });

    private List<string> Seed(int count) =>
        Enumerable.Range(0, count).Select(i => (string)_fake.Add(new JsonObject { ["name"] = $"Item {i}" })["id"]!).ToList();

    [Fact]
    public async Task Cursor_paging_reads_every_item_once_in_order_and_passes_filters_as_query_parameters()
    {
        var expected = Seed(8);

        var pages = await _adapter.ReadAllAsync(CursorPaging(), "item", filters: new JsonObject { ["status"] = "open" });

        Assert.Equal(expected, pages.Ids());
        Assert.Equal(3, pages.Count);
        Assert.Null(pages[^1].NextCursor);
        Assert.Contains(_fake.Faults.Requests, r => r.Contains("status=open", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Next_link_paging_follows_relative_links_and_resumes_from_a_page_link()
    {
        var expected = Seed(7);

        var pages = await _adapter.ReadAllAsync(NextLinkPaging(), "item");
        var resumed = await _adapter.ReadAllAsync(NextLinkPaging(), "item", pages[0].NextCursor);

        Assert.Equal(expected, pages.Ids());
        Assert.Equal(expected[3..], resumed.Ids());
    }

    [Fact]
    public async Task A_cursor_resumes_after_the_last_item_of_its_page()
    {
        var expected = Seed(7);
        var first = (await _adapter.ReadAllAsync(CursorPaging(), "item"))[0];

        var rest = await _adapter.ReadAllAsync(CursorPaging(), "item", first.NextCursor);

        Assert.Equal(expected[3..], rest.Ids());
    }

    [Fact]
    public async Task Items_without_an_id_get_the_same_content_hash_on_every_read()
    {
        _fake.Add(new JsonObject { ["name"] = "No id", ["amount"] = 5 }, withId: false);
        _fake.Add(new JsonObject { ["name"] = "Other", ["amount"] = 6 }, withId: false);

        var first = (await _adapter.ReadAllAsync(CursorPaging(), "item")).Ids();
        var second = (await _adapter.ReadAllAsync(CursorPaging(), "item")).Ids();

        Assert.Equal(first, second);
        Assert.Equal(2, first.Distinct().Count());
        Assert.All(first, id => Assert.StartsWith("hash-", id));
    }

    [Fact]
    public async Task A_429_storm_is_waited_out_per_Retry_After_and_the_read_completes()
    {
        var expected = Seed(5);
        _fake.Faults.TooManyRequests(2, retryAfterSeconds: 1);

        var pages = await _adapter.ReadAllAsync(CursorPaging(), "item");

        Assert.Equal(expected, pages.Ids());
        Assert.Equal(0, _fake.Faults.EarlyRetries);
    }

    [Fact]
    public async Task A_5xx_blip_is_retried_and_the_read_completes()
    {
        var expected = Seed(5);
        _fake.Faults.ServerErrors(2);

        var pages = await _adapter.ReadAllAsync(CursorPaging(), "item");

        Assert.Equal(expected, pages.Ids());
    }

    [Fact]
    public async Task A_rejected_credential_is_AuthExpired()
    {
        Seed(2);

        var error = await Assert.ThrowsAsync<AdapterException>(() => _adapter.ReadAllAsync(CursorPaging(key: "revoked"), "item"));

        Assert.Equal(AdapterErrorKind.AuthExpired, error.Kind);
        Assert.Single(_fake.Faults.Requests);
    }

    [Fact]
    public async Task A_bad_request_and_incomplete_settings_are_permanent_errors()
    {
        var broken = AdapterServices.Connection("rest", new JsonObject { ["url"] = $"{_fake.BaseUrl}/broken/items", ["authHeader"] = "X-Api-Key", ["authScheme"] = "" },
            new JsonObject { ["apiKey"] = _fake.Faults.ValidToken });
        var incomplete = AdapterServices.Connection("rest", new JsonObject { ["url"] = $"{_fake.BaseUrl}/cursor/items", ["paging"] = "cursor" });

        var refused = await Assert.ThrowsAsync<AdapterException>(() => _adapter.ReadAllAsync(broken, "item"));
        var misconfigured = await Assert.ThrowsAsync<AdapterException>(() => _adapter.ReadAllAsync(incomplete, "item"));

        Assert.Equal(AdapterErrorKind.Permanent, refused.Kind);
        Assert.Equal(AdapterErrorKind.Permanent, misconfigured.Kind);
        Assert.Contains("cursorPath", misconfigured.Message);
    }

    [Fact]
    public async Task Reads_one_item_from_a_data_wrapper_and_null_for_an_unknown_id()
    {
        var id = Seed(2)[1];

        var found = await _adapter.ReadOneAsync(new AdapterRecordRequest(CursorPaging(), "item", id), CancellationToken.None);
        var missing = await _adapter.ReadOneAsync(new AdapterRecordRequest(CursorPaging(), "item", "item-999"), CancellationToken.None);

        Assert.Equal("Item 1", (string)found!.Data["name"]!);
        Assert.Equal("\"1\"", found.Version);
        Assert.Null(missing);
    }

    [Fact]
    public async Task Creates_then_updates_with_If_Match_and_a_stale_ETag_is_a_conflict()
    {
        var created = await _adapter.WriteAsync(new AdapterWriteRequest(CursorPaging(), "item", null, new JsonObject { ["name"] = "Created" }, null), CancellationToken.None);

        var updated = await _adapter.WriteAsync(new AdapterWriteRequest(CursorPaging(), "item", created.ExternalId,
            new JsonObject { ["name"] = "Updated" }, created.Version), CancellationToken.None);
        var stale = await Assert.ThrowsAsync<AdapterException>(() => _adapter.WriteAsync(new AdapterWriteRequest(CursorPaging(), "item",
            created.ExternalId, new JsonObject { ["name"] = "Stale" }, created.Version), CancellationToken.None));

        Assert.True(created.Created);
        Assert.Equal("\"2\"", updated.Version);
        Assert.Equal(AdapterErrorKind.Conflict, stale.Kind);
        Assert.Equal("Updated", (string)_fake.Find(created.ExternalId)!["name"]!);
    }
}
