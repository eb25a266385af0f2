using System.Globalization;
using System.Text.Json.Nodes;
using IntegrationSync.SyncRunner.Adapters;
using IntegrationSync.SyncRunner.Adapters.Salesforce;
using IntegrationSync.SyncRunner.Tests.Fakes;
using IntegrationSync.TestSupport.VendorFakes;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationSync.SyncRunner.Tests.Adapters.Salesforce;

/// <summary>
/// Reads above the bulk threshold, against the fake's Bulk API 2.0 query jobs: threshold 10, REST batches of 200 (the
/// integration's pageSize), pages of at most 400, so a job of four result sets takes fewer calls than eight REST batches.
/// </summary>
public sealed class SalesforceBulkTests : AdapterFakeTests<FakeSalesforce, SalesforceAdapter>
{
    private static readonly DateTimeOffset T0 = Seconds(DateTimeOffset.UtcNow.AddDays(-2));

    protected override async Task<FakeSalesforce> StartFakeAsync()
    {
        var fake = await FakeSalesforce.StartAsync();
        fake.DefaultBatchSize = 2000;
        return fake;
    }

    protected override ServiceProvider Build() => AdapterServices.Build(maxPageSize: 400, options: new Dictionary<string, string?>
    {
        ["adapter_http:salesforce_bulk_threshold"] = "10",
        ["adapter_http:salesforce_bulk_poll_ms"] = "10",
    });

    [Fact]
    public async Task A_read_whose_first_page_counts_more_than_the_threshold_goes_on_through_one_query_job_in_modstamp_order()
    {
        var expected = Seed(1800);
        Fake.JobPollsUntilComplete = 2;

        var pages = await Adapter.ReadAllAsync(Connection(), "opportunity");

        Assert.Equal(expected, pages.Ids());
        var job = Assert.Single(Fake.JobQueries);
        Assert.Contains($"WHERE SystemModstamp > {Stamp(199)} OR (SystemModstamp = {Stamp(199)} AND Id > '{expected[199]}') ORDER BY SystemModstamp ASC, Id ASC", job);
        Assert.DoesNotContain("FIELDS(", job);
        // The REST page, the job's creation (an empty page naming the job), then result sets of 400.
        Assert.Equal([200, 0, 400, 400, 400, 400], pages.Select(p => p.Records.Count));
        Assert.Equal(3, Fake.Faults.Requests.Count(r => r.StartsWith("GET /services/data/v60.0/jobs/query/750", StringComparison.Ordinal) && !r.Contains("/results")));
        Assert.Null(pages[^1].NextCursor);
    }

    [Fact]
    public async Task Records_read_through_a_job_have_the_shape_REST_gives_them()
    {
        Seed(1800);
        await using var restOnly = AdapterServices.Build(options: new Dictionary<string, string?> { ["adapter_http:salesforce_bulk_threshold"] = "100000" });

        var bulk = await Adapter.ReadAllAsync(Connection(), "opportunity");
        var rest = await restOnly.Adapter<SalesforceAdapter>().ReadAllAsync(Connection(), "opportunity");

        Assert.Single(Fake.JobQueries);
        Assert.Equal(rest.SelectMany(p => p.Records).Select(r => (r.ExternalId, r.Version, r.Data.ToJsonString())),
            bulk.SelectMany(p => p.Records).Select(r => (r.ExternalId, r.Version, r.Data.ToJsonString())));
    }

    [Fact]
    public async Task A_read_resumed_inside_a_job_continues_at_its_locator_without_creating_another()
    {
        var expected = Seed(1800);
        var first = await PagesUntilAsync(Connection(), p => p.Records.Count == 400);

        var rest = await Adapter.ReadAllAsync(Connection(), "opportunity", first[^1].NextCursor);

        Assert.StartsWith("bulk|query|750", first[^1].NextCursor);
        Assert.Equal(expected, first.Ids().Concat(rest.Ids()));
        Assert.Single(Fake.JobQueries);
    }

    [Fact]
    public async Task A_job_Salesforce_no_longer_has_is_replaced_by_one_from_the_last_record_read()
    {
        var expected = Seed(1800);
        var first = await PagesUntilAsync(Connection(), p => p.Records.Count == 400);
        Fake.ForgetJobs();

        var rest = await Adapter.ReadAllAsync(Connection(), "opportunity", first[^1].NextCursor);

        Assert.Equal(expected, first.Ids().Concat(rest.Ids()));
        Assert.Equal(2, Fake.JobQueries.Count);
        Assert.Contains($"Id > '{expected[599]}'", Fake.JobQueries.Last());
    }

    [Fact]
    public async Task A_read_the_record_limit_keeps_within_the_threshold_stays_on_REST()
    {
        Seed(300);

        var pages = await Adapter.ReadAllAsync(Connection(), "opportunity", maxRecords: 10);

        Assert.Empty(Fake.JobQueries);
        Assert.Single(pages);
    }

    [Fact]
    public async Task A_read_a_job_would_not_take_in_fewer_calls_than_REST_batches_stays_on_REST()
    {
        var expected = Seed(450);

        var pages = await Adapter.ReadAllAsync(Connection(), "opportunity");

        // 250 records after the first batch: two more batches, where a job takes a describe, its creation, a look and a set.
        Assert.Equal(expected, pages.Ids());
        Assert.Empty(Fake.JobQueries);
        Assert.Equal(3, Fake.Faults.Requests.Count);
    }

    [Fact]
    public async Task A_bulk_read_stops_at_the_record_limit_and_its_cursor_continues_the_job()
    {
        var expected = Seed(2400);

        var first = await Adapter.ReadAllAsync(Connection(), "opportunity", maxRecords: 1800);
        var rest = await Adapter.ReadAllAsync(Connection(), "opportunity", first[^1].NextCursor);

        Assert.Equal([200, 0, 400, 400, 400, 400], first.Select(p => p.Records.Count));
        Assert.StartsWith("bulk|query|", first[^1].NextCursor);
        Assert.Equal(expected, first.Ids().Concat(rest.Ids()));
        Assert.Single(Fake.JobQueries);
    }

    [Fact]
    public async Task An_incremental_bulk_read_uses_queryAll_and_reports_the_deleted_records_apart()
    {
        var now = DateTimeOffset.UtcNow;
        var ids = Enumerable.Range(0, 1900).Select(i => (string)Fake.Add($"Deal {i}", now.AddHours(-3).AddSeconds(i))["Id"]!).ToList();
        var cursor = new SalesforceCursor(now.AddHours(-2), "006000000000000").Watermark();
        Fake.Delete(ids[5], now.AddMinutes(-30));
        Fake.Delete(ids[6], now.AddMinutes(-29));
        foreach (var id in ids.Skip(10))
        {
            Fake.Find(id)!["SystemModstamp"] = FakeSalesforce.Modstamp(now.AddMinutes(-20));
        }

        var pages = await Adapter.ReadAllAsync(Connection(), "opportunity", cursor);

        Assert.StartsWith("bulk|queryAll|", pages[1].NextCursor);
        Assert.Equal(ids.Skip(10).Order(StringComparer.Ordinal), pages.Ids().Order(StringComparer.Ordinal));
        Assert.Equal([ids[5], ids[6]], pages.DeletedIds());
        Assert.All(pages.SelectMany(p => p.Records), r => Assert.False(r.Data.ContainsKey("IsDeleted") && (bool)r.Data["IsDeleted"]!));
    }

    private AdapterConnection Connection() => AdapterServices.Connection("salesforce", new JsonObject { ["pageSize"] = 200 },
        new JsonObject { ["instanceUrl"] = Fake.InstanceUrl, ["accessToken"] = Fake.Faults.ValidToken });

    /// <summary>Opportunities with every field type the fake describes, a text with commas, quotes and a line break among them.</summary>
    private List<string> Seed(int count) => Enumerable.Range(0, count).Select(i =>
    {
        var record = Fake.Add($"Deal {i}, \"phase\" {i % 3}", T0.AddSeconds(i));
        record["Amount"] = 1000.5 + i;
        record["Probability"] = i % 100;
        record["CloseDate"] = "2027-03-31";
        record["IsClosed"] = i % 2 == 0;
        record["CreatedDate"] = FakeSalesforce.Modstamp(T0);
        record["Description"] = i % 5 == 0 ? null : $"line one\nline two, {i}";
        record["StageName"] = "Prospecting";
        return (string)record["Id"]!;
    }).ToList();

    private static string Stamp(int i) => T0.AddSeconds(i).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    private static DateTimeOffset Seconds(DateTimeOffset t) => new(t.Ticks - t.Ticks % TimeSpan.TicksPerSecond, TimeSpan.Zero);

    private async Task<List<RecordPage>> PagesUntilAsync(AdapterConnection connection, Func<RecordPage, bool> last)
    {
        var pages = new List<RecordPage>();
        await foreach (var page in Adapter.ReadAsync(new AdapterReadRequest(connection, "opportunity", null, null), CancellationToken.None))
        {
            pages.Add(page);
            if (last(page))
            {
                return pages;
            }
        }
        throw new InvalidOperationException("the read ended first");
    }
}
