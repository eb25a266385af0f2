using System.Text.Json.Nodes;
using IntegrationSync.SyncRunner.Adapters;
using IntegrationSync.SyncRunner.Adapters.Dynamics365;
using IntegrationSync.SyncRunner.Tests.Fakes;
using IntegrationSync.TestSupport.VendorFakes;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationSync.SyncRunner.Tests.Adapters.Dynamics365;

public sealed class Dynamics365AdapterTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);
    private FakeDynamics _fake = null!;
    private ServiceProvider _services = null!;
    private Dynamics365Adapter _adapter = null!;

    public async Task InitializeAsync()
    {
        _fake = await FakeDynamics.StartAsync();
        _services = AdapterServices.Build();
        _adapter = _services.Adapter<Dynamics365Adapter>();
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _fake.DisposeAsync();
    }

    private AdapterConnection Connection() => AdapterServices.Connection("dynamics365",
        new JsonObject { ["environmentUrl"] = _fake.EnvironmentUrl, ["pageSize"] = 3 },
        new JsonObject { ["accessToken"] = _fake.Faults.ValidToken });

    /// <summary>Accounts in triples sharing modifiedon, so page boundaries fall inside ties.</summary>
    private List<string> Seed(int count)
    {
        for (var i = 0; i < count; i++)
        {
            _fake.Add($"Account {i}", T0.AddSeconds(i / 3 * 10));
        }
        return _fake.Ordered();
    }

    [Fact]
    public async Task Reads_every_account_across_nextLink_pages_once_in_modifiedon_then_id_order_asking_for_the_page_size()
    {
        var expected = Seed(10);

        var pages = await _adapter.ReadAllAsync(Connection(), "account");

        Assert.Equal(expected, pages.Ids());
        Assert.Equal(4, pages.Count);
        Assert.Null(pages[^1].NextCursor);
        Assert.All(_fake.PageSizesAsked, p => Assert.Equal("odata.maxpagesize=3", p));
        Assert.All(pages.SelectMany(p => p.Records), r => Assert.StartsWith("W/\"", r.Version));
        Assert.DoesNotContain(pages.SelectMany(p => p.Records), r => r.Data.ContainsKey("@odata.etag"));
    }

    [Fact]
    public async Task A_cursor_inside_a_modifiedon_tie_resumes_with_the_next_account_of_that_instant()
    {
        for (var i = 0; i < 7; i++)
        {
            _fake.Add($"Account {i}", i < 2 ? T0 : T0.AddSeconds(10));
        }
        var expected = _fake.Ordered();
        string? cursor = null;
        await foreach (var page in _adapter.ReadAsync(new AdapterReadRequest(Connection(), "account", null, null), CancellationToken.None))
        {
            cursor = page.NextCursor;
            break;
        }

        var rest = await _adapter.ReadAllAsync(Connection(), "account", cursor);

        Assert.Equal(expected[3..], rest.Ids());
    }

    [Fact]
    public async Task The_last_pages_watermark_starts_the_next_read_after_everything_read()
    {
        Seed(4);
        var all = await _adapter.ReadAllAsync(Connection(), "account");
        var later = _fake.Add("Later", T0.AddMinutes(5));

        var next = await _adapter.ReadAllAsync(Connection(), "account", all[^1].Watermark);

        Assert.Equal([(string)later["accountid"]!], next.Ids());
    }

    [Fact]
    public async Task A_429_storm_is_waited_out_per_Retry_After_and_the_read_completes()
    {
        var expected = Seed(6);
        _fake.Faults.TooManyRequests(2, retryAfterSeconds: 1);

        var pages = await _adapter.ReadAllAsync(Connection(), "account");

        Assert.Equal(expected, pages.Ids());
        Assert.Equal(2, _fake.Faults.Rejected429);
        Assert.Equal(0, _fake.Faults.EarlyRetries);
    }

    [Fact]
    public async Task A_5xx_blip_is_retried_and_the_read_completes()
    {
        var expected = Seed(6);
        _fake.Faults.ServerErrors(2);

        var pages = await _adapter.ReadAllAsync(Connection(), "account");

        Assert.Equal(expected, pages.Ids());
    }

    [Fact]
    public async Task A_5xx_that_outlasts_the_retries_is_transient()
    {
        Seed(2);
        _fake.Faults.ServerErrors(50);

        var error = await Assert.ThrowsAsync<AdapterException>(() => _adapter.ReadAllAsync(Connection(), "account"));

        Assert.Equal(AdapterErrorKind.Transient, error.Kind);
        Assert.Equal(4, _fake.Faults.Rejected5xx);
    }

    [Fact]
    public async Task An_expired_token_is_AuthExpired()
    {
        Seed(6);
        _fake.Faults.TokenExpiresAfterCalls = 1;

        var error = await Assert.ThrowsAsync<AdapterException>(() => _adapter.ReadAllAsync(Connection(), "account"));

        Assert.Equal(AdapterErrorKind.AuthExpired, error.Kind);
    }

    [Fact]
    public async Task An_unknown_entity_set_is_a_permanent_error_naming_it()
    {
        var error = await Assert.ThrowsAsync<AdapterException>(() => _adapter.ReadAllAsync(Connection(), "spaceship"));

        Assert.Equal(AdapterErrorKind.Permanent, error.Kind);
        Assert.Contains("spaceships", error.Message);
    }

    [Fact]
    public async Task Reads_one_account_by_id_and_null_for_an_unknown_id()
    {
        var id = Seed(2)[0];

        var found = await _adapter.ReadOneAsync(new AdapterRecordRequest(Connection(), "account", id), CancellationToken.None);
        var missing = await _adapter.ReadOneAsync(new AdapterRecordRequest(Connection(), "account", Guid.NewGuid().ToString()), CancellationToken.None);

        Assert.Equal(id, found!.ExternalId);
        Assert.Null(missing);
    }

    [Fact]
    public async Task Creates_then_updates_with_If_Match_and_a_stale_ETag_is_a_conflict()
    {
        var created = await _adapter.WriteAsync(new AdapterWriteRequest(Connection(), "account", null, new JsonObject { ["name"] = "Created" }, null), CancellationToken.None);

        var updated = await _adapter.WriteAsync(new AdapterWriteRequest(Connection(), "account", created.ExternalId,
            new JsonObject { ["name"] = "Updated" }, created.Version), CancellationToken.None);
        var stale = await Assert.ThrowsAsync<AdapterException>(() => _adapter.WriteAsync(new AdapterWriteRequest(Connection(), "account",
            created.ExternalId, new JsonObject { ["name"] = "Stale" }, created.Version), CancellationToken.None));

        Assert.True(created.Created);
        Assert.NotNull(created.Version);
        Assert.NotEqual(created.Version, updated.Version);
        Assert.Equal(AdapterErrorKind.Conflict, stale.Kind);
        Assert.Equal("Updated", (string)_fake.Find(created.ExternalId)!["name"]!);
    }

    [Fact]
    public async Task A_create_answered_204_takes_its_id_from_OData_EntityId()
    {
        _fake.AnswerCreatesWithoutBody = true;

        var created = await _adapter.WriteAsync(new AdapterWriteRequest(Connection(), "account", null, new JsonObject { ["name"] = "Bodiless" }, null), CancellationToken.None);

        Assert.Equal("Bodiless", (string)_fake.Find(created.ExternalId)!["name"]!);
    }
}
