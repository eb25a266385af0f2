using System.Text.Json.Nodes;
using IntegrationSync.SyncRunner.Adapters;
using IntegrationSync.SyncRunner.Adapters.Dynamics365;
using IntegrationSync.SyncRunner.Tests.Fakes;
using IntegrationSync.TestSupport.VendorFakes;

namespace IntegrationSync.SyncRunner.Tests.Adapters.Dynamics365;

public sealed class Dynamics365AdapterTests : TenantTargetContractTests<FakeDynamics, Dynamics365Adapter>
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);

    protected override string EntityType => "account";

    protected override Task<FakeDynamics> StartFakeAsync() => FakeDynamics.StartAsync();

    protected override AdapterConnection Connection() => Connection(null);

    private AdapterConnection Connection(string? environmentUrl, int pageSize = 3) => AdapterServices.Connection("dynamics365",
        new JsonObject { ["environmentUrl"] = environmentUrl ?? Fake.EnvironmentUrl, ["pageSize"] = pageSize },
        new JsonObject { ["accessToken"] = Fake.Faults.ValidToken });

    /// <summary>A page of 3 halves to 1, then cannot shrink further.</summary>
    protected override int RequestsForAPageThatNeverFits => 2;

    /// <summary>Accounts in triples sharing modifiedon, so page boundaries fall inside ties; their ids in the order a change-tracking read gives them.</summary>
    protected override List<string> Seed(int count)
    {
        for (var i = 0; i < count; i++)
        {
            Fake.Add($"Account {i}", T0.AddSeconds(i / 3 * 10));
        }
        return Fake.Accounts.Select(a => (string)a["accountid"]!).Order(StringComparer.Ordinal).ToList();
    }

    [Fact]
    public async Task On_a_table_without_change_tracking_reads_every_account_once_in_modifiedon_then_id_order_asking_for_the_page_size()
    {
        Fake.ChangeTrackingEnabled = false;
        Seed(10);

        var pages = await Adapter.ReadAllAsync(Connection(), "account");

        Assert.Equal(Fake.Ordered(), pages.Ids());
        Assert.Equal(4, pages.Count);
        Assert.Null(pages[^1].NextCursor);
        // The preference for change tracking was not applied: the read went on in modifiedon order.
        Assert.Equal("odata.track-changes,odata.maxpagesize=3", Fake.PageSizesAsked[0]);
        Assert.All(Fake.PageSizesAsked.Skip(1), p => Assert.Equal("odata.maxpagesize=3", p));
        Assert.DoesNotContain("$deltatoken", pages[^1].Watermark);
        Assert.All(pages.SelectMany(p => p.Records), r => Assert.StartsWith("W/\"", r.Version));
        Assert.DoesNotContain(pages.SelectMany(p => p.Records), r => r.Data.ContainsKey("@odata.etag"));
    }

    [Fact]
    public async Task A_cursor_inside_a_modifiedon_tie_resumes_with_the_next_account_of_that_instant()
    {
        Fake.ChangeTrackingEnabled = false;
        for (var i = 0; i < 7; i++)
        {
            Fake.Add($"Account {i}", i < 2 ? T0 : T0.AddSeconds(10));
        }
        var expected = Fake.Ordered();
        string? cursor = null;
        await foreach (var page in Adapter.ReadAsync(new AdapterReadRequest(Connection(), "account", null, null), CancellationToken.None))
        {
            cursor = page.NextCursor;
            break;
        }

        var rest = await Adapter.ReadAllAsync(Connection(), "account", cursor);

        Assert.Equal(expected[3..], rest.Ids());
    }

    [Fact]
    public async Task The_last_pages_watermark_starts_the_next_read_after_everything_read()
    {
        Seed(4);
        var all = await Adapter.ReadAllAsync(Connection(), "account");
        var later = Fake.Add("Later", T0.AddMinutes(5));

        var next = await Adapter.ReadAllAsync(Connection(), "account", all[^1].Watermark);

        Assert.Equal([(string)later["accountid"]!], next.Ids());
    }

    [Theory]
    [InlineData("https://contoso.crm.dynamics.com.attacker.example")]
    [InlineData("http://contoso.crm4.dynamics.com")]
    [InlineData("https://10.0.0.7")]
    public async Task An_environment_that_is_not_an_https_Dynamics_host_is_refused_before_any_request(string environmentUrl)
    {
        var error = await Assert.ThrowsAsync<AdapterException>(() => Adapter.ReadAllAsync(Connection(environmentUrl), "account"));

        Assert.Equal(AdapterErrorKind.Permanent, error.Kind);
        Assert.Contains("*.dynamics.com", error.Message);
    }

    [Fact]
    public async Task A_nextLink_on_another_host_fails_the_read_without_sending_the_token_there()
    {
        await using var elsewhere = await FakeDynamics.StartAsync();
        Seed(7);
        Fake.NextLinkHost = elsewhere.EnvironmentUrl;

        var error = await Assert.ThrowsAsync<AdapterException>(() => Adapter.ReadAllAsync(Connection(), "account"));

        Assert.Equal(AdapterErrorKind.Permanent, error.Kind);
        Assert.Contains("paging link", error.Message);
        Assert.Empty(elsewhere.Faults.Requests);
    }

    [Fact]
    public async Task The_page_size_asked_for_is_cut_to_the_operators_cap()
    {
        await using var capped = AdapterServices.Build(maxPageSize: 40);
        Seed(3);

        await capped.Adapter<Dynamics365Adapter>().ReadAllAsync(Connection(null, pageSize: 5000), "account");

        Assert.Equal(["odata.track-changes,odata.maxpagesize=40"], Fake.PageSizesAsked);
    }

    [Fact]
    public async Task An_unknown_entity_set_is_a_permanent_error_naming_it()
    {
        var error = await Assert.ThrowsAsync<AdapterException>(() => Adapter.ReadAllAsync(Connection(), "spaceship"));

        Assert.Equal(AdapterErrorKind.Permanent, error.Kind);
        Assert.Contains("spaceships", error.Message);
    }

    [Fact]
    public async Task Reads_one_account_by_id_and_null_for_an_unknown_id()
    {
        var id = Seed(2)[0];

        var found = await Adapter.ReadOneAsync(new AdapterRecordRequest(Connection(), "account", id), CancellationToken.None);
        var missing = await Adapter.ReadOneAsync(new AdapterRecordRequest(Connection(), "account", Guid.NewGuid().ToString()), CancellationToken.None);

        Assert.Equal(id, found!.ExternalId);
        Assert.Null(missing);
    }

    [Fact]
    public async Task Creates_then_updates_with_If_Match_and_a_stale_ETag_is_a_conflict()
    {
        var created = await Adapter.WriteAsync(new AdapterWriteRequest(Connection(), "account", null, new JsonObject { ["name"] = "Created" }, null), CancellationToken.None);

        var updated = await Adapter.WriteAsync(new AdapterWriteRequest(Connection(), "account", created.ExternalId,
            new JsonObject { ["name"] = "Updated" }, created.Version), CancellationToken.None);
        var stale = await Assert.ThrowsAsync<AdapterException>(() => Adapter.WriteAsync(new AdapterWriteRequest(Connection(), "account",
            created.ExternalId, new JsonObject { ["name"] = "Stale" }, created.Version), CancellationToken.None));

        Assert.True(created.Created);
        Assert.NotNull(created.Version);
        Assert.NotEqual(created.Version, updated.Version);
        Assert.Equal(AdapterErrorKind.Conflict, stale.Kind);
        Assert.Equal("Updated", (string)Fake.Find(created.ExternalId)!["name"]!);
    }

    [Fact]
    public async Task A_create_answered_204_takes_its_id_from_OData_EntityId()
    {
        Fake.AnswerCreatesWithoutBody = true;

        var created = await Adapter.WriteAsync(new AdapterWriteRequest(Connection(), "account", null, new JsonObject { ["name"] = "Bodiless" }, null), CancellationToken.None);

        Assert.Equal("Bodiless", (string)Fake.Find(created.ExternalId)!["name"]!);
    }
}
