using System.Text.Json.Nodes;
using IntegrationSync.SyncRunner.Adapters;
using IntegrationSync.SyncRunner.Adapters.HubSpot;
using IntegrationSync.SyncRunner.Tests.Fakes;
using IntegrationSync.TestSupport.VendorFakes;

namespace IntegrationSync.SyncRunner.Tests.Adapters.HubSpot;

public sealed class HubSpotAdapterTests : TenantTargetContractTests<FakeHubSpot, HubSpotAdapter>
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);

    protected override string EntityType => "opportunity";

    protected override Task<FakeHubSpot> StartFakeAsync() => FakeHubSpot.StartAsync();

    protected override AdapterConnection Connection() => Connection(3);

    protected override List<string> Seed(int count) => Seed(count, tie: 2);

    private AdapterConnection Connection(int pageSize, string? baseUrl = null) => AdapterServices.Connection("hubspot",
        new JsonObject { ["baseUrl"] = baseUrl ?? Fake.BaseUrl, ["pageSize"] = pageSize, ["properties"] = "dealname,amount" },
        new JsonObject { ["accessToken"] = Fake.Faults.ValidToken });

    /// <summary>Deals in groups (pairs by default) sharing hs_lastmodifieddate, so page boundaries fall inside ties.</summary>
    private List<string> Seed(int count, int tie)
    {
        for (var i = 0; i < count; i++)
        {
            Fake.Add($"Deal {i}", T0.AddSeconds(i / tie));
        }
        return Fake.Deals.Select(d => (string)d["id"]!).ToList();
    }

    [Fact]
    public async Task Reads_every_deal_across_after_pages_once_in_modification_order()
    {
        var expected = Seed(10);

        var pages = await Adapter.ReadAllAsync(Connection(), "opportunity");

        Assert.Equal(expected, pages.Ids());
        Assert.Equal(4, pages.Count);
        Assert.Null(pages[^1].NextCursor);
        var first = pages[0].Records[0];
        Assert.Equal("Deal 0", (string)first.Data["dealname"]!);
        Assert.Equal(FakeHubSpot.Iso(T0), first.Version);
    }

    [Fact]
    public async Task A_cursor_inside_a_tie_resumes_without_rereading_or_skipping_deals_of_that_instant()
    {
        var expected = Seed(8);
        string? cursor = null;
        await foreach (var page in Adapter.ReadAsync(new AdapterReadRequest(Connection(), "opportunity", null, null), CancellationToken.None))
        {
            cursor = page.NextCursor;
            break;
        }

        var rest = await Adapter.ReadAllAsync(Connection(), "opportunity", cursor);

        Assert.Equal(expected[3..], rest.Ids());
    }

    [Fact]
    public async Task The_last_pages_watermark_starts_the_next_read_after_everything_read()
    {
        Seed(5);
        var all = await Adapter.ReadAllAsync(Connection(), "opportunity");
        var sameInstant = Fake.Add("Same instant as the last", T0.AddSeconds(2));
        var later = Fake.Add("Later", T0.AddMinutes(1));

        var next = await Adapter.ReadAllAsync(Connection(), "opportunity", all[^1].Watermark);

        Assert.Equal([(string)sameInstant["id"]!, (string)later["id"]!], next.Ids());
    }

    [Fact]
    public async Task A_read_past_the_10000_results_search_cap_restarts_from_its_cursor_without_gaps_or_repeats()
    {
        // Deals 9999, 10000 and 10001 share one instant: the cap falls inside the tie.
        var expected = Seed(10_050, tie: 3);

        var pages = await Adapter.ReadAllAsync(Connection(pageSize: 200), "opportunity");

        Assert.Equal(expected, pages.Ids());
    }

    [Fact]
    public async Task When_the_rate_limit_headers_say_the_window_is_spent_the_next_call_waits_for_the_window()
    {
        var expected = Seed(12);
        Fake.WindowLimit = 2;

        var pages = await Adapter.ReadAllAsync(Connection(pageSize: 2), "opportunity");

        Assert.Equal(expected, pages.Ids());
        Assert.Equal(0, Fake.RateLimitViolations);
    }

    [Theory]
    [InlineData("https://api.hubapi.com.attacker.example")]
    [InlineData("http://api.hubapi.com")]
    [InlineData("https://[::ffff:169.254.169.254]")]
    public async Task A_base_url_other_than_HubSpots_API_host_is_refused_before_any_request(string baseUrl)
    {
        var error = await Assert.ThrowsAsync<AdapterException>(() => Adapter.ReadAllAsync(Connection(3, baseUrl), "opportunity"));

        Assert.Equal(AdapterErrorKind.Permanent, error.Kind);
        Assert.Contains("api.hubapi.com", error.Message);
    }

    [Fact]
    public async Task A_403_for_a_missing_scope_names_the_scopes_to_grant()
    {
        Seed(2);
        Fake.Faults.Script(403);

        var error = await Assert.ThrowsAsync<AdapterException>(() => Adapter.ReadAllAsync(Connection(), "opportunity"));

        Assert.Equal(AdapterErrorKind.Permanent, error.Kind);
        Assert.Contains("required scopes: crm.objects.deals.read", error.Message);
    }

    [Fact]
    public async Task An_unknown_object_type_is_a_permanent_error()
    {
        var error = await Assert.ThrowsAsync<AdapterException>(() => Adapter.ReadAllAsync(Connection(), "spaceships"));

        Assert.Equal(AdapterErrorKind.Permanent, error.Kind);
        Assert.Contains("spaceships", error.Message);
    }

    [Fact]
    public async Task The_daily_limit_is_quota_exhausted_at_once_without_retrying_the_call()
    {
        Seed(2);
        Fake.DailyLimitAfterCalls = 0;

        var error = await Assert.ThrowsAsync<AdapterException>(() => Adapter.ReadAllAsync(Connection(), "opportunity"));

        Assert.Equal(AdapterErrorKind.QuotaExhausted, error.Kind);
        Assert.Single(Fake.Faults.Requests);
    }

    [Fact]
    public async Task Reads_one_deal_by_id_and_null_for_an_unknown_id()
    {
        var id = Seed(2)[1];

        var found = await Adapter.ReadOneAsync(new AdapterRecordRequest(Connection(), "opportunity", id), CancellationToken.None);
        var missing = await Adapter.ReadOneAsync(new AdapterRecordRequest(Connection(), "opportunity", "999999"), CancellationToken.None);

        Assert.Equal("Deal 1", (string)found!.Data["dealname"]!);
        Assert.Null(missing);
    }

    [Fact]
    public async Task Creates_then_updates_and_a_stale_expected_version_is_a_conflict()
    {
        var created = await Adapter.WriteAsync(new AdapterWriteRequest(Connection(), "opportunity", null,
            new JsonObject { ["dealname"] = "Created", ["amount"] = "10" }, null), CancellationToken.None);

        var updated = await Adapter.WriteAsync(new AdapterWriteRequest(Connection(), "opportunity", created.ExternalId,
            new JsonObject { ["amount"] = "20" }, created.Version), CancellationToken.None);
        var stale = await Assert.ThrowsAsync<AdapterException>(() => Adapter.WriteAsync(new AdapterWriteRequest(Connection(), "opportunity",
            created.ExternalId, new JsonObject { ["amount"] = "30" }, created.Version), CancellationToken.None));

        Assert.True(created.Created);
        Assert.False(updated.Created);
        Assert.NotEqual(created.Version, updated.Version);
        Assert.Equal(AdapterErrorKind.Conflict, stale.Kind);
        Assert.Equal("20", (string)Fake.Find(created.ExternalId)!["properties"]!["amount"]!);
    }
}
