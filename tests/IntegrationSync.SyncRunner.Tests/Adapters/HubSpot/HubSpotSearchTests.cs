using System.Text.Json.Nodes;
using IntegrationSync.SyncRunner.Adapters;
using IntegrationSync.SyncRunner.Adapters.HubSpot;
using IntegrationSync.SyncRunner.Tests.Fakes;
using IntegrationSync.TestSupport.VendorFakes;

namespace IntegrationSync.SyncRunner.Tests.Adapters.HubSpot;

/// <summary>Search past its caps and through large ties, deletions, the daily allocation and the index's lag.</summary>
public sealed class HubSpotSearchTests : AdapterFakeTests<FakeHubSpot, HubSpotAdapter>
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());

    protected override Task<FakeHubSpot> StartFakeAsync() => FakeHubSpot.StartAsync();

    [Fact]
    public async Task A_25000_deal_read_with_12000_sharing_one_instant_returns_every_deal_exactly_once_in_pages_of_200()
    {
        Fake.TiesInReverse = true;
        var expected = Seed(6_500, 12_000, 6_500);

        var pages = await Adapter.ReadAllAsync(Connection(), "deal");

        Assert.Equal(25_000, pages.Ids().Count);
        Assert.Equal(expected.Order(StringComparer.Ordinal), pages.Ids().Order(StringComparer.Ordinal));
        Assert.Equal(0, Fake.SearchesRefused);
        // 125 full pages' worth, one page held back where the tie begins, one call that finds the tie's end, and the last.
        Assert.InRange(Fake.Faults.Requests.Count, 125, 128);
    }

    [Fact]
    public async Task A_read_cut_inside_a_large_tie_resumes_in_id_order_without_gaps_or_repeats()
    {
        Fake.TiesInReverse = true;
        var expected = Seed(300, 1_000, 300);

        var first = await Adapter.ReadAllAsync(Connection(), "deal", maxRecords: 700);
        var rest = await Adapter.ReadAllAsync(Connection(), "deal", first[^1].NextCursor);

        Assert.Equal(700, first.Ids().Count);
        Assert.Equal(3, first[^1].NextCursor!.Split('|').Length);
        Assert.Equal(expected.Order(StringComparer.Ordinal), first.Ids().Concat(rest.Ids()).Order(StringComparer.Ordinal));
        Assert.Equal(1_600, first.Ids().Concat(rest.Ids()).Count());
    }

    [Fact]
    public async Task An_incremental_read_reports_the_deals_archived_since_its_cursor()
    {
        var ids = Enumerable.Range(0, 5).Select(i => (string)Fake.Add($"Deal {i}", Now.AddHours(-2).AddSeconds(i))["id"]!).ToList();
        Fake.Archive(ids[0], Now.AddHours(-3));
        var full = await Adapter.ReadAllAsync(Connection(), "deal");
        Fake.Archive(ids[3], Now.AddMinutes(-30));

        var next = await Adapter.ReadAllAsync(Connection(), "deal", full[^1].Watermark);

        Assert.Equal([ids[3]], next.DeletedIds());
        Assert.Null(next[0].DeletesMissed);
        Assert.Empty(next.Ids());
        Assert.Single(Fake.Faults.Requests, r => r.StartsWith("GET /crm/v3/objects/deals?archived=true&limit=100", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_cursor_older_than_the_90_days_HubSpot_keeps_archived_deals_says_deletions_may_be_missing()
    {
        Seed(3, 0, 0);
        var cursor = new HubSpotCursor(Now.AddDays(-120).ToUnixTimeMilliseconds(), new HashSet<string>()).Encode();

        var pages = await Adapter.ReadAllAsync(Connection(), "deal", cursor);

        Assert.Contains("older than the 90 days", pages[0].DeletesMissed);
    }

    [Fact]
    public async Task An_incremental_read_makes_no_search_once_the_daily_usage_reached_the_quota_share()
    {
        Seed(3, 0, 0);
        Fake.DailyLimit = 1000;
        Fake.DailyUsed = 850;
        var cursor = new HubSpotCursor(Now.AddDays(-1).ToUnixTimeMilliseconds(), new HashSet<string>()).Encode();

        var error = await Assert.ThrowsAsync<AdapterException>(() => Adapter.ReadAllAsync(Connection(), "deal", cursor));

        Assert.Equal(AdapterErrorKind.QuotaExhausted, error.Kind);
        Assert.Contains("851 of the 1000", error.Message);
        Assert.Single(Fake.Faults.Requests);
    }

    [Fact]
    public async Task A_change_younger_than_the_search_lag_is_left_to_the_next_read()
    {
        var now = DateTimeOffset.UtcNow;
        var old = (string)Fake.Add("Old", now.AddMinutes(-10))["id"]!;
        var fresh = (string)Fake.Add("Fresh", now.AddSeconds(-2))["id"]!;
        await using var noLag = AdapterServices.Build(options: new Dictionary<string, string?> { ["adapter_http:hubspot_search_lag_seconds"] = "0" });

        var first = await Adapter.ReadAllAsync(Connection(), "deal");
        var next = await noLag.Adapter<HubSpotAdapter>().ReadAllAsync(Connection(), "deal", first[^1].Watermark);

        Assert.Equal([old], first.Ids());
        Assert.Equal([fresh], next.Ids());
    }

    [Theory]
    [InlineData("1772352000000|1001,1002")]
    [InlineData("1772352000000|*")]
    [InlineData("1772352000000|1001|")]
    [InlineData("1772352000000||2045")]
    public void A_cursor_reads_back_as_written(string cursor) => Assert.Equal(cursor, HubSpotCursor.Decode(cursor)!.Encode());

    [Theory]
    [InlineData("1772352000000")]
    [InlineData("1772352000000|*|2045")]
    [InlineData("1772352000000|1001|x")]
    [InlineData("soon|1001")]
    public void A_cursor_that_is_not_one_of_ours_is_refused(string cursor) =>
        Assert.Equal(AdapterErrorKind.Permanent, Assert.Throws<AdapterException>(() => HubSpotCursor.Decode(cursor)).Kind);

    private AdapterConnection Connection() => AdapterServices.Connection("hubspot",
        new JsonObject { ["baseUrl"] = Fake.BaseUrl, ["properties"] = "dealname,amount" }, new JsonObject { ["accessToken"] = Fake.Faults.ValidToken });

    /// <summary>Deals one second apart, then <paramref name="tied"/> at one instant, then more one second apart; their ids.</summary>
    private List<string> Seed(int before, int tied, int after)
    {
        var start = before + tied + after > 10 ? T0 : Now.AddHours(-1);
        var ids = new List<string>();
        for (var i = 0; i < before; i++)
        {
            ids.Add((string)Fake.Add($"Deal {i}", start.AddSeconds(i))["id"]!);
        }
        for (var i = 0; i < tied; i++)
        {
            ids.Add((string)Fake.Add($"Month-end {i}", start.AddSeconds(before))["id"]!);
        }
        for (var i = 0; i < after; i++)
        {
            ids.Add((string)Fake.Add($"Later {i}", start.AddSeconds(before + 1 + i))["id"]!);
        }
        return ids;
    }
}
