using System.Text.Json.Nodes;
using IntegrationSync.SyncRunner.Adapters;
using IntegrationSync.SyncRunner.Adapters.Salesforce;
using IntegrationSync.SyncRunner.Tests.Fakes;
using IntegrationSync.TestSupport.VendorFakes;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationSync.SyncRunner.Tests.Adapters.Salesforce;

public sealed class SalesforceAdapterTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);
    private FakeSalesforce _fake = null!;
    private ServiceProvider _services = null!;
    private SalesforceAdapter _adapter = null!;

    public async Task InitializeAsync()
    {
        _fake = await FakeSalesforce.StartAsync();
        _services = AdapterServices.Build();
        _adapter = _services.Adapter<SalesforceAdapter>();
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _fake.DisposeAsync();
    }

    private AdapterConnection Connection(string? token = null) => AdapterServices.Connection("salesforce", [],
        new JsonObject { ["instanceUrl"] = _fake.InstanceUrl, ["accessToken"] = token ?? _fake.Faults.ValidToken });

    /// <summary>Records in pairs sharing a SystemModstamp, added out of order so only the query's ORDER BY sorts them.</summary>
    private List<string> Seed(int count)
    {
        for (var i = count - 1; i >= 0; i--)
        {
            _fake.Add($"Deal {i}", T0.AddSeconds(i / 2));
        }
        return _fake.Opportunities
            .OrderBy(r => (string)r["SystemModstamp"]!, StringComparer.Ordinal).ThenBy(r => (string)r["Id"]!, StringComparer.Ordinal)
            .Select(r => (string)r["Id"]!).ToList();
    }

    [Fact]
    public async Task Reads_every_record_across_pages_once_in_modstamp_then_id_order()
    {
        var expected = Seed(10);

        var pages = await _adapter.ReadAllAsync(Connection(), "opportunity");

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

        var rest = await _adapter.ReadAllAsync(Connection(), "opportunity", first.NextCursor);

        Assert.Equal(expected[..3], first.Records.Select(r => r.ExternalId));
        Assert.Equal(expected[3..], rest.Ids());
    }

    [Fact]
    public async Task The_last_pages_watermark_starts_the_next_incremental_read_after_everything_read()
    {
        Seed(5);
        var all = await _adapter.ReadAllAsync(Connection(), "opportunity");
        var later = _fake.Add("Late deal", T0.AddMinutes(5));

        var next = await _adapter.ReadAllAsync(Connection(), "opportunity", all[^1].Watermark);

        Assert.Equal([(string)later["Id"]!], next.Ids());
    }

    [Fact]
    public async Task A_429_storm_is_waited_out_per_Retry_After_and_the_read_completes()
    {
        var expected = Seed(6);
        _fake.Faults.TooManyRequests(2, retryAfterSeconds: 1);

        var pages = await _adapter.ReadAllAsync(Connection(), "opportunity");

        Assert.Equal(expected, pages.Ids());
        Assert.Equal(2, _fake.Faults.Rejected429);
        Assert.Equal(0, _fake.Faults.EarlyRetries);
    }

    [Fact]
    public async Task A_Retry_After_beyond_the_bound_is_handed_to_the_runner_as_rate_limited()
    {
        Seed(3);
        _fake.Faults.TooManyRequests(1, retryAfterSeconds: 120);

        var error = await Assert.ThrowsAsync<AdapterException>(() => _adapter.ReadAllAsync(Connection(), "opportunity"));

        Assert.Equal(AdapterErrorKind.RateLimited, error.Kind);
        Assert.Equal(TimeSpan.FromSeconds(120), error.RetryAfter);
        Assert.Equal(1, _fake.Faults.Rejected429);
    }

    [Fact]
    public async Task A_5xx_blip_is_retried_and_the_read_completes()
    {
        var expected = Seed(6);
        _fake.Faults.ServerErrors(2);

        var pages = await _adapter.ReadAllAsync(Connection(), "opportunity");

        Assert.Equal(expected, pages.Ids());
        Assert.Equal(2, _fake.Faults.Rejected5xx);
    }

    [Fact]
    public async Task A_token_that_expires_mid_read_is_AuthExpired_without_retries()
    {
        Seed(6);
        _fake.Faults.TokenExpiresAfterCalls = 1;
        var pages = new List<RecordPage>();

        var error = await Assert.ThrowsAsync<AdapterException>(async () =>
        {
            await foreach (var page in _adapter.ReadAsync(new AdapterReadRequest(Connection(), "opportunity", null, null), CancellationToken.None))
            {
                pages.Add(page);
            }
        });

        Assert.Equal(AdapterErrorKind.AuthExpired, error.Kind);
        Assert.Contains("INVALID_SESSION_ID", error.Message);
        Assert.Single(pages);
        Assert.Equal(2, _fake.Faults.Requests.Count);
    }

    [Fact]
    public async Task An_unknown_object_is_a_permanent_error_naming_it()
    {
        var error = await Assert.ThrowsAsync<AdapterException>(() => _adapter.ReadAllAsync(Connection(), "spaceship"));

        Assert.Equal(AdapterErrorKind.Permanent, error.Kind);
        Assert.Contains("Spaceship", error.Message);
    }

    [Fact]
    public async Task REQUEST_LIMIT_EXCEEDED_is_quota_exhausted_and_the_read_resumes_from_the_last_page()
    {
        var expected = Seed(9);
        _fake.QuotaExhaustedAfterCalls = 1;
        var pages = new List<RecordPage>();

        var error = await Assert.ThrowsAsync<AdapterException>(async () =>
        {
            await foreach (var page in _adapter.ReadAsync(new AdapterReadRequest(Connection(), "opportunity", null, null), CancellationToken.None))
            {
                pages.Add(page);
            }
        });
        _fake.QuotaExhaustedAfterCalls = null;
        var rest = await _adapter.ReadAllAsync(Connection(), "opportunity", pages[^1].NextCursor);

        Assert.Equal(AdapterErrorKind.QuotaExhausted, error.Kind);
        Assert.Equal(expected, pages.Ids().Concat(rest.Ids()));
    }

    [Fact]
    public async Task Reads_one_record_by_id_and_null_for_an_unknown_id()
    {
        var id = Seed(2)[1];

        var found = await _adapter.ReadOneAsync(new AdapterRecordRequest(Connection(), "opportunity", id), CancellationToken.None);
        var missing = await _adapter.ReadOneAsync(new AdapterRecordRequest(Connection(), "opportunity", "006999999999999"), CancellationToken.None);

        Assert.Equal(id, found!.ExternalId);
        Assert.Equal((string)_fake.Find(id)!["Name"]!, (string)found.Data["Name"]!);
        Assert.Null(missing);
    }

    [Fact]
    public async Task Creates_then_updates_with_If_Unmodified_Since_and_a_stale_version_is_a_conflict()
    {
        var created = await _adapter.WriteAsync(new AdapterWriteRequest(Connection(), "opportunity", null,
            new JsonObject { ["Name"] = "Created", ["Amount"] = 10 }, null), CancellationToken.None);
        var read = await _adapter.ReadOneAsync(new AdapterRecordRequest(Connection(), "opportunity", created.ExternalId), CancellationToken.None);

        var updated = await _adapter.WriteAsync(new AdapterWriteRequest(Connection(), "opportunity", created.ExternalId,
            new JsonObject { ["Amount"] = 20 }, read!.Version), CancellationToken.None);
        var stale = await Assert.ThrowsAsync<AdapterException>(() => _adapter.WriteAsync(new AdapterWriteRequest(Connection(), "opportunity",
            created.ExternalId, new JsonObject { ["Amount"] = 30 }, read.Version), CancellationToken.None));

        Assert.True(created.Created);
        Assert.False(updated.Created);
        Assert.Equal(AdapterErrorKind.Conflict, stale.Kind);
        Assert.Equal(20, (int)_fake.Find(created.ExternalId)!["Amount"]!);
    }

    private async Task<RecordPage> FirstPageAsync(AdapterConnection connection)
    {
        await foreach (var page in _adapter.ReadAsync(new AdapterReadRequest(connection, "opportunity", null, null), CancellationToken.None))
        {
            return page;
        }
        throw new InvalidOperationException("no page");
    }
}
