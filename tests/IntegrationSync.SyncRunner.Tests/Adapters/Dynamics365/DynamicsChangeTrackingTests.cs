using System.Text.Json.Nodes;
using IntegrationSync.SyncRunner.Adapters;
using IntegrationSync.SyncRunner.Adapters.Dynamics365;
using IntegrationSync.SyncRunner.Tests.Fakes;
using IntegrationSync.TestSupport.VendorFakes;

namespace IntegrationSync.SyncRunner.Tests.Adapters.Dynamics365;

public sealed class DynamicsChangeTrackingTests : AdapterFakeTests<FakeDynamics, Dynamics365Adapter>
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);

    protected override Task<FakeDynamics> StartFakeAsync() => FakeDynamics.StartAsync();

    [Fact]
    public async Task A_full_read_asks_for_change_tracking_pages_by_nextLink_and_ends_on_the_delta_link_as_its_watermark()
    {
        var ids = Seed(7);

        var pages = await Adapter.ReadAllAsync(Connection(pageSize: 3), "account");

        Assert.Equal(ids.Order(StringComparer.Ordinal), pages.Ids());
        Assert.All(Fake.PageSizesAsked, p => Assert.Equal("odata.track-changes,odata.maxpagesize=3", p));
        Assert.DoesNotContain(Fake.Faults.Requests, r => r.Contains("$filter") || r.Contains("$orderby"));
        Assert.All(pages[..^1], p => Assert.StartsWith($"{Fake.EnvironmentUrl}/api/data/v9.2/accounts?", p.NextCursor));
        Assert.Null(pages[^1].NextCursor);
        Assert.Contains("$deltatoken=", pages[^1].Watermark);
    }

    [Fact]
    public async Task Following_the_delta_link_reads_only_what_changed_and_reports_removed_accounts_as_deletions()
    {
        var ids = Seed(6);
        var full = await Adapter.ReadAllAsync(Connection(), "account");
        var added = (string)Fake.Add("Added", T0.AddDays(1))["accountid"]!;
        await Adapter.WriteAsync(new AdapterWriteRequest(Connection(), "account", ids[2], new JsonObject { ["name"] = "Renamed" }, null), CancellationToken.None);
        Fake.Delete(ids[4]);
        var requestsBefore = Fake.Faults.Requests.Count;

        var changes = await Adapter.ReadAllAsync(Connection(), "account", full[^1].Watermark);
        var none = await Adapter.ReadAllAsync(Connection(), "account", changes[^1].Watermark);

        Assert.Equal([added, ids[2]], changes.Ids());
        Assert.Equal([ids[4]], changes.DeletedIds());
        Assert.Null(changes[0].DeletesMissed);
        Assert.Equal("Renamed", (string)changes.SelectMany(p => p.Records).Single(r => r.ExternalId == ids[2]).Data["name"]!);
        // One request for each incremental read: the delta link.
        Assert.Equal(2, Fake.Faults.Requests.Count - requestsBefore);
        Assert.Empty(none.Ids());
        Assert.Empty(none.DeletedIds());
    }

    [Fact]
    public async Task An_expired_delta_token_is_reported_and_the_read_starts_over_with_a_new_delta_link()
    {
        var ids = Seed(4);
        var full = await Adapter.ReadAllAsync(Connection(), "account");
        Fake.Delete(ids[0]);
        Fake.ExpireChangeTracking();

        var again = await Adapter.ReadAllAsync(Connection(), "account", full[^1].Watermark);
        var later = (string)Fake.Add("Later", T0.AddDays(2))["accountid"]!;
        var next = await Adapter.ReadAllAsync(Connection(), "account", again[^1].Watermark);

        Assert.Contains("change-tracking token expired", again[0].DeletesMissed);
        Assert.Equal(ids[1..].Order(StringComparer.Ordinal), again.Ids());
        Assert.Equal([later], next.Ids());
    }

    [Fact]
    public async Task A_read_resumed_at_a_nextLink_goes_on_with_the_same_tracked_read()
    {
        var ids = Seed(7);
        var first = await Adapter.ReadAllAsync(Connection(pageSize: 3), "account", maxRecords: 3);

        var rest = await Adapter.ReadAllAsync(Connection(pageSize: 3), "account", first[^1].NextCursor);

        Assert.Equal(ids.Order(StringComparer.Ordinal), first.Ids().Concat(rest.Ids()));
        Assert.Contains("$deltatoken=", rest[^1].Watermark);
    }

    [Fact]
    public async Task Pages_are_as_large_as_Dataverse_serves_and_shrink_to_what_fits_in_max_response_bytes()
    {
        await using var small = AdapterServices.Build(maxResponseBytes: 64 * 1024);
        var ids = Seed(600, text: new string('x', 400));

        var pages = await small.Adapter<Dynamics365Adapter>().ReadAllAsync(Connection(pageSize: null), "account");

        Assert.Equal(ids.Order(StringComparer.Ordinal), pages.Ids());
        Assert.Equal("odata.track-changes,odata.maxpagesize=5000", Fake.PageSizesAsked[0]);
        // Halved until an answer fit, then sized by the bytes a row took: every later page fills most of the limit.
        Assert.All(pages[..^1], p => Assert.InRange(p.Records.Count, 78, 130));
    }

    [Fact]
    public async Task A_read_asks_for_no_more_than_its_record_limit_leaves_and_stops_there()
    {
        Seed(9);

        var pages = await Adapter.ReadAllAsync(Connection(pageSize: 3), "account", maxRecords: 4);

        Assert.Equal([3, 1], pages.Select(p => p.Records.Count));
        Assert.Equal(["odata.track-changes,odata.maxpagesize=3", "odata.track-changes,odata.maxpagesize=1"], Fake.PageSizesAsked);
        Assert.NotNull(pages[^1].NextCursor);
    }

    private AdapterConnection Connection(int? pageSize = 50)
    {
        var settings = new JsonObject { ["environmentUrl"] = Fake.EnvironmentUrl };
        if (pageSize is { } size)
        {
            settings["pageSize"] = size;
        }
        return AdapterServices.Connection("dynamics365", settings, new JsonObject { ["accessToken"] = Fake.Faults.ValidToken });
    }

    private List<string> Seed(int count, string? text = null) => Enumerable.Range(0, count).Select(i =>
    {
        var account = Fake.Add($"Account {i}", T0.AddSeconds(i));
        if (text is not null)
        {
            account["description"] = text;
        }
        return (string)account["accountid"]!;
    }).ToList();
}
