using System.Text.Json.Nodes;
using IntegrationSync.SyncRunner.Adapters;
using IntegrationSync.SyncRunner.Adapters.Http;
using IntegrationSync.SyncRunner.Adapters.Salesforce;
using IntegrationSync.SyncRunner.Tests.Fakes;
using IntegrationSync.TestSupport.VendorFakes;

namespace IntegrationSync.SyncRunner.Tests.Adapters.Salesforce;

/// <summary>Incremental reads: deletions since the cursor, what Salesforce no longer keeps, and the daily API allocation.</summary>
public sealed class SalesforceIncrementalTests : AdapterFakeTests<FakeSalesforce, SalesforceAdapter>
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    protected override Task<FakeSalesforce> StartFakeAsync() => FakeSalesforce.StartAsync();

    [Fact]
    public async Task An_incremental_read_reports_the_records_deleted_since_its_cursor_apart_from_the_changed_ones()
    {
        var ids = Seed(6);
        var full = await Adapter.ReadAllAsync(Connection(), "opportunity");
        Fake.Delete(ids[1], Now.AddMinutes(-20));
        Fake.Delete(ids[4], Now.AddMinutes(-15));
        Fake.Find(ids[2])!["SystemModstamp"] = FakeSalesforce.Modstamp(Now.AddMinutes(-10));

        var next = await Adapter.ReadAllAsync(Connection(), "opportunity", full[^1].Watermark);

        Assert.Equal([ids[2]], next.Ids());
        Assert.Equal([ids[1], ids[4]], next.DeletedIds());
        Assert.Equal(FakeSalesforce.Modstamp(Now.AddMinutes(-20)), next.SelectMany(p => p.Deleted).First().DeletedAt);
        Assert.Null(next[0].DeletesMissed);
        Assert.Contains(Fake.Faults.Requests, r => r.StartsWith("GET /services/data/v60.0/queryAll?", StringComparison.Ordinal));
        Assert.Contains(Fake.Faults.Requests, r => r.StartsWith("GET /services/data/v60.0/sobjects/Opportunity/deleted/?", StringComparison.Ordinal));
        // A full read looks for no deletions.
        Assert.DoesNotContain(Fake.Faults.Requests.Take(2), r => r.Contains("queryAll") || r.Contains("/deleted/"));
    }

    [Fact]
    public async Task Deletions_Salesforce_purged_after_the_cursor_are_reported_missing()
    {
        var ids = Seed(4);
        var full = await Adapter.ReadAllAsync(Connection(), "opportunity");
        Fake.Delete(ids[0], Now.AddMinutes(-20));
        Fake.EmptyRecycleBin(Now.AddMinutes(-5));

        var next = await Adapter.ReadAllAsync(Connection(), "opportunity", full[^1].Watermark);

        Assert.Empty(next.DeletedIds());
        Assert.Contains("Salesforce keeps deleted Opportunity records from", next[0].DeletesMissed);
    }

    [Fact]
    public async Task A_cursor_older_than_getDeleted_reaches_says_deletions_may_be_missing_without_asking()
    {
        Seed(2);
        var cursor = new SalesforceCursor(Now.AddDays(-40), "006000000000000").Watermark();

        var pages = await Adapter.ReadAllAsync(Connection(), "opportunity", cursor);

        Assert.Equal(2, pages.Ids().Count);
        Assert.Contains("older than the 29 days", pages[0].DeletesMissed);
        Assert.DoesNotContain(Fake.Faults.Requests, r => r.Contains("/deleted/"));
    }

    [Fact]
    public async Task A_read_makes_no_call_once_the_org_has_used_the_quota_share_of_its_daily_allocation()
    {
        var expected = Seed(9);
        Fake.DailyApiLimit = 1000;
        Fake.ApiUsage = 798;
        var meter = new ReadMeter();

        var (pages, error) = await ReadUntilFailureAsync(meter);

        // 799 and 800 of 1,000 answered; at 80 % the third page is not asked for.
        Assert.Equal(AdapterErrorKind.QuotaExhausted, error.Kind);
        Assert.Contains("adapter_http.quota_share", error.Message);
        Assert.Equal(expected[..6], pages.Ids());
        Assert.Equal(2, Fake.Faults.Requests.Count);
        Assert.Equal((2, 800L, 1000L), (meter.Calls, meter.Usage!.Used, meter.Usage.Limit));
    }

    private async Task<(List<RecordPage>, AdapterException)> ReadUntilFailureAsync(ReadMeter meter)
    {
        var pages = new List<RecordPage>();
        var error = await Assert.ThrowsAsync<AdapterException>(async () =>
        {
            await foreach (var page in Adapter.ReadAsync(new AdapterReadRequest(Connection(), "opportunity", null, null) { Meter = meter }, CancellationToken.None))
            {
                pages.Add(page);
            }
        });
        return (pages, error);
    }

    private AdapterConnection Connection() => AdapterServices.Connection("salesforce", [],
        new JsonObject { ["instanceUrl"] = Fake.InstanceUrl, ["accessToken"] = Fake.Faults.ValidToken });

    private List<string> Seed(int count) =>
        Enumerable.Range(0, count).Select(i => (string)Fake.Add($"Deal {i}", Now.AddHours(-1).AddSeconds(i))["Id"]!).ToList();
}
