using System.Text.Json.Nodes;
using IntegrationSync.SyncRunner.Adapters;
using IntegrationSync.SyncRunner.Adapters.Salesforce;
using IntegrationSync.SyncRunner.Tests.Fakes;
using IntegrationSync.TestSupport.VendorFakes;

namespace IntegrationSync.SyncRunner.Tests.Adapters.Salesforce;

public sealed class SalesforceAdapterTests : TenantTargetContractTests<FakeSalesforce, SalesforceAdapter>
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);

    protected override string EntityType => "opportunity";

    protected override Task<FakeSalesforce> StartFakeAsync() => FakeSalesforce.StartAsync();

    protected override AdapterConnection Connection() => Connection(null);

    private AdapterConnection Connection(string? token, string? instanceUrl = null) => AdapterServices.Connection("salesforce", [],
        new JsonObject { ["instanceUrl"] = instanceUrl ?? Fake.InstanceUrl, ["accessToken"] = token ?? Fake.Faults.ValidToken });

    /// <summary>Records in pairs sharing a SystemModstamp, added out of order so only the query's ORDER BY sorts them.</summary>
    protected override List<string> Seed(int count)
    {
        for (var i = count - 1; i >= 0; i--)
        {
            Fake.Add($"Deal {i}", T0.AddSeconds(i / 2));
        }
        return Fake.Opportunities
            .OrderBy(r => (string)r["SystemModstamp"]!, StringComparer.Ordinal).ThenBy(r => (string)r["Id"]!, StringComparer.Ordinal)
            .Select(r => (string)r["Id"]!).ToList();
    }

    [Fact]
    public async Task Reads_every_record_across_pages_once_in_modstamp_then_id_order()
    {
        var expected = Seed(10);

        var pages = await Adapter.ReadAllAsync(Connection(), "opportunity");

        Assert.Equal(expected, pages.Ids());
        Assert.Equal(4, pages.Count);
        Assert.All(pages[..^1], p => Assert.NotNull(p.NextCursor));
        Assert.Null(pages[^1].NextCursor);
        Assert.DoesNotContain(pages.SelectMany(p => p.Records), r => r.Data.ContainsKey("attributes"));
        Assert.All(pages.SelectMany(p => p.Records), r => Assert.Equal((string)r.Data["SystemModstamp"]!, r.Version));
    }

    [Fact]
    public async Task A_cursor_on_a_modstamp_tie_resumes_with_the_next_record_of_that_modstamp()
    {
        // Batch 3 over pairs: the first page ends on the first record of the second pair.
        var expected = Seed(8);
        var first = await FirstPageAsync(Connection());

        var rest = await Adapter.ReadAllAsync(Connection(), "opportunity", first.NextCursor);

        Assert.Equal(expected[..3], first.Records.Select(r => r.ExternalId));
        Assert.Equal(expected[3..], rest.Ids());
    }

    [Fact]
    public async Task The_last_pages_watermark_starts_the_next_incremental_read_after_everything_read()
    {
        Seed(5);
        var all = await Adapter.ReadAllAsync(Connection(), "opportunity");
        var later = Fake.Add("Late deal", T0.AddMinutes(5));

        var next = await Adapter.ReadAllAsync(Connection(), "opportunity", all[^1].Watermark);

        Assert.Equal([(string)later["Id"]!], next.Ids());
    }

    [Fact]
    public async Task A_session_that_expires_mid_read_is_AuthExpired_naming_INVALID_SESSION_ID()
    {
        Seed(6);
        Fake.Faults.TokenExpiresAfterCalls = 1;

        var (pages, error) = await Adapter.ReadUntilFailureAsync(Connection(), "opportunity");

        Assert.Equal(AdapterErrorKind.AuthExpired, error.Kind);
        Assert.Contains("INVALID_SESSION_ID", error.Message);
        Assert.Single(pages);
        Assert.Equal(2, Fake.Faults.Requests.Count);
    }

    [Theory]
    [InlineData("https://attacker.example")]
    [InlineData("https://evilsalesforce.com")]
    [InlineData("https://169.254.169.254")]
    [InlineData("http://acme.my.salesforce.com")]
    public async Task An_instance_that_is_not_an_https_Salesforce_host_is_refused_before_any_request(string instanceUrl)
    {
        var error = await Assert.ThrowsAsync<AdapterException>(() => Adapter.ReadAllAsync(Connection(null, instanceUrl), "opportunity"));

        Assert.Equal(AdapterErrorKind.Permanent, error.Kind);
        Assert.Contains("*.salesforce.com", error.Message);
    }

    [Fact]
    public async Task A_nextRecordsUrl_on_another_host_fails_the_read_without_sending_the_token_there()
    {
        await using var elsewhere = await FakeSalesforce.StartAsync();
        Seed(7);
        Fake.NextRecordsUrlPrefix = "//" + new Uri(elsewhere.InstanceUrl).Authority;

        var error = await Assert.ThrowsAsync<AdapterException>(() => Adapter.ReadAllAsync(Connection(), "opportunity"));

        Assert.Equal(AdapterErrorKind.Permanent, error.Kind);
        Assert.Contains("paging link", error.Message);
        Assert.Empty(elsewhere.Faults.Requests);
    }

    [Fact]
    public async Task The_page_size_asked_for_is_cut_to_the_operators_cap()
    {
        await using var capped = AdapterServices.Build(maxPageSize: 250);
        Fake.DefaultBatchSize = 2000;
        Seed(600);
        var connection = AdapterServices.Connection("salesforce", new JsonObject { ["pageSize"] = 2000 },
            new JsonObject { ["instanceUrl"] = Fake.InstanceUrl, ["accessToken"] = Fake.Faults.ValidToken });

        var pages = await capped.Adapter<SalesforceAdapter>().ReadAllAsync(connection, "opportunity");

        Assert.Equal([250, 250, 100], pages.Select(p => p.Records.Count));
    }

    [Fact]
    public async Task An_unknown_object_is_a_permanent_error_naming_it()
    {
        var error = await Assert.ThrowsAsync<AdapterException>(() => Adapter.ReadAllAsync(Connection(), "spaceship"));

        Assert.Equal(AdapterErrorKind.Permanent, error.Kind);
        Assert.Contains("Spaceship", error.Message);
    }

    [Fact]
    public async Task REQUEST_LIMIT_EXCEEDED_is_quota_exhausted_and_the_read_resumes_from_the_last_page()
    {
        var expected = Seed(9);
        Fake.QuotaExhaustedAfterCalls = 1;

        var (pages, error) = await Adapter.ReadUntilFailureAsync(Connection(), "opportunity");
        Fake.QuotaExhaustedAfterCalls = null;
        var rest = await Adapter.ReadAllAsync(Connection(), "opportunity", pages[^1].NextCursor);

        Assert.Equal(AdapterErrorKind.QuotaExhausted, error.Kind);
        Assert.Equal(expected, pages.Ids().Concat(rest.Ids()));
    }

    [Fact]
    public async Task Reads_one_record_by_id_and_null_for_an_unknown_id()
    {
        var id = Seed(2)[1];

        var found = await Adapter.ReadOneAsync(new AdapterRecordRequest(Connection(), "opportunity", id), CancellationToken.None);
        var missing = await Adapter.ReadOneAsync(new AdapterRecordRequest(Connection(), "opportunity", "006999999999999"), CancellationToken.None);

        Assert.Equal(id, found!.ExternalId);
        Assert.Equal((string)Fake.Find(id)!["Name"]!, (string)found.Data["Name"]!);
        Assert.Null(missing);
    }

    [Fact]
    public async Task Creates_then_updates_with_If_Unmodified_Since_and_a_stale_version_is_a_conflict()
    {
        var created = await Adapter.WriteAsync(new AdapterWriteRequest(Connection(), "opportunity", null,
            new JsonObject { ["Name"] = "Created", ["Amount"] = 10 }, null), CancellationToken.None);
        var read = await Adapter.ReadOneAsync(new AdapterRecordRequest(Connection(), "opportunity", created.ExternalId), CancellationToken.None);

        var updated = await Adapter.WriteAsync(new AdapterWriteRequest(Connection(), "opportunity", created.ExternalId,
            new JsonObject { ["Amount"] = 20 }, read!.Version), CancellationToken.None);
        var stale = await Assert.ThrowsAsync<AdapterException>(() => Adapter.WriteAsync(new AdapterWriteRequest(Connection(), "opportunity",
            created.ExternalId, new JsonObject { ["Amount"] = 30 }, read.Version), CancellationToken.None));

        Assert.True(created.Created);
        Assert.False(updated.Created);
        Assert.Equal(AdapterErrorKind.Conflict, stale.Kind);
        Assert.Equal(20, (int)Fake.Find(created.ExternalId)!["Amount"]!);
    }

    private async Task<RecordPage> FirstPageAsync(AdapterConnection connection)
    {
        await foreach (var page in Adapter.ReadAsync(new AdapterReadRequest(connection, "opportunity", null, null), CancellationToken.None))
        {
            return page;
        }
        throw new InvalidOperationException("no page");
    }
}
