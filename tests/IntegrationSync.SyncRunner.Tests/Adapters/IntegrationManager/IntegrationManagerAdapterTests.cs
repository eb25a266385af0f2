using System.Text.Json.Nodes;
using IntegrationSync.Shared.Peers;
using IntegrationSync.SyncRunner.Adapters;
using IntegrationSync.SyncRunner.Adapters.IntegrationManager;
using IntegrationSync.SyncRunner.Tests.Fakes;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationSync.SyncRunner.Tests.Adapters.IntegrationManager;

public sealed class IntegrationManagerAdapterTests : IAsyncLifetime
{
    private FakeIntegrationManager _fake = null!;
    private ServiceProvider _services = null!;
    private IntegrationManagerAdapter _adapter = null!;

    public async Task InitializeAsync()
    {
        _fake = await FakeIntegrationManager.StartAsync();
        _services = AdapterServices.Build(integrationManagerUrl: _fake.BaseUrl);
        _adapter = _services.Adapter<IntegrationManagerAdapter>();
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _fake.DisposeAsync();
    }

    private AdapterConnection Connection(string? integrationId = null) => new(
        new IntegrationDescriptor(integrationId ?? _fake.IntegrationId, "integration-manager", "crm", "connected", null, new JsonObject { ["pageSize"] = 3 }, []),
        AdapterCredentials.None, _fake.TenantId);

    private List<string> Seed(int count)
    {
        for (var i = 0; i < count; i++)
        {
            _fake.Records.Add(new JsonObject { ["id"] = $"rec-{i}", ["name"] = $"Record {i}" });
        }
        return _fake.Records.Select(r => (string)r["id"]!).ToList();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Pages_by_limit_and_offset_until_a_short_page_from_a_bare_array_or_a_data_wrapper(bool wrapInData)
    {
        var expected = Seed(8);
        _fake.WrapInData = wrapInData;

        var pages = await _adapter.ReadAllAsync(Connection(), "opportunity", filters: new JsonObject { ["stage"] = "open" });

        Assert.Equal(expected, pages.Ids());
        Assert.Equal(["3", "6", null], pages.Select(p => p.NextCursor));
        var bodies = _fake.FetchBodies.ToList();
        Assert.Equal([0, 3, 6], bodies.Select(b => (int)b["offset"]!));
        Assert.All(bodies, b => Assert.Equal(3, (int)b["limit"]!));
        Assert.All(bodies, b => Assert.Equal("opportunity", (string)b["entityType"]!));
        Assert.All(bodies, b => Assert.Equal("open", (string)b["filters"]!["stage"]!));
    }

    [Fact]
    public async Task A_full_last_page_is_followed_by_an_empty_one_and_the_cursor_resumes_at_its_offset()
    {
        var expected = Seed(6);

        var pages = await _adapter.ReadAllAsync(Connection(), "opportunity");
        var resumed = await _adapter.ReadAllAsync(Connection(), "opportunity", pages[0].NextCursor);

        Assert.Equal(expected, pages.Ids());
        Assert.Empty(pages[^1].Records);
        Assert.Equal(expected[3..], resumed.Ids());
    }

    [Fact]
    public async Task Records_without_an_id_get_a_stable_content_hash_and_externalId_is_used_when_present()
    {
        _fake.Records.Add(new JsonObject { ["name"] = "No id", ["amount"] = 10 });
        _fake.Records.Add(new JsonObject { ["externalId"] = "ext-7", ["name"] = "External" });
        _fake.Records.Add(new JsonObject { ["name"] = "Another", ["amount"] = 11 });

        var first = (await _adapter.ReadAllAsync(Connection(), "opportunity")).Ids();
        var second = (await _adapter.ReadAllAsync(Connection(), "opportunity")).Ids();

        Assert.Equal(first, second);
        Assert.Equal("ext-7", first[1]);
        Assert.StartsWith("hash-", first[0]);
        Assert.NotEqual(first[0], first[2]);
        Assert.Equal(first[0], RecordIdentity.ContentHash(JsonNode.Parse("""{"amount":10.0,"name":"No id"}""")!.AsObject()));
    }

    [Fact]
    public async Task Records_of_other_kinds_are_identified_by_their_own_id_fields_in_the_original_order()
    {
        foreach (var field in new[] { "documentId", "emailId", "messageId", "meetingId" })
        {
            _fake.Records.Add(new JsonObject { ["eventId"] = "later", [field] = $"{field}-1" });
        }
        _fake.Records.Add(new JsonObject { ["eventId"] = "eventId-1" });
        _fake.Records.Add(new JsonObject { ["externalId"] = "ext-1", ["documentId"] = "doc-2" });

        var ids = (await _adapter.ReadAllAsync(Connection(), "activity")).Ids();

        Assert.Equal(["documentId-1", "emailId-1", "messageId-1", "meetingId-1", "eventId-1", "ext-1"], ids);
    }

    [Fact]
    public async Task A_provider_that_ignores_offset_fails_permanently_instead_of_looping()
    {
        Seed(8);
        _fake.IgnoreOffset = true;

        var error = await Assert.ThrowsAsync<AdapterException>(() => _adapter.ReadAllAsync(Connection(), "opportunity"));

        Assert.Equal(AdapterErrorKind.Permanent, error.Kind);
        Assert.Equal(2, _fake.FetchBodies.Count);
    }

    [Fact]
    public async Task A_429_storm_is_waited_out_per_Retry_After_and_the_read_completes()
    {
        var expected = Seed(5);
        _fake.Faults.TooManyRequests(2, retryAfterSeconds: 1);

        var pages = await _adapter.ReadAllAsync(Connection(), "opportunity");

        Assert.Equal(expected, pages.Ids());
        Assert.Equal(0, _fake.Faults.EarlyRetries);
    }

    [Fact]
    public async Task A_5xx_blip_is_retried_and_the_read_completes()
    {
        var expected = Seed(5);
        _fake.Faults.ServerErrors(2);

        var pages = await _adapter.ReadAllAsync(Connection(), "opportunity");

        Assert.Equal(expected, pages.Ids());
    }

    [Fact]
    public async Task A_401_is_AuthExpired_and_an_unknown_integration_is_permanent()
    {
        Seed(5);
        _fake.Faults.TokenExpiresAfterCalls = 0;
        var expired = await Assert.ThrowsAsync<AdapterException>(() => _adapter.ReadAllAsync(Connection(), "opportunity"));
        _fake.Faults.TokenExpiresAfterCalls = null;
        var unknown = await Assert.ThrowsAsync<AdapterException>(() => _adapter.ReadAllAsync(Connection(Guid.NewGuid().ToString()), "opportunity"));

        Assert.Equal(AdapterErrorKind.AuthExpired, expired.Kind);
        Assert.Equal(AdapterErrorKind.Permanent, unknown.Kind);
        Assert.Contains("404", unknown.Message);
    }

    [Fact]
    public async Task Reads_one_record_by_scanning_fetch_and_null_when_absent()
    {
        Seed(7);

        var found = await _adapter.ReadOneAsync(new AdapterRecordRequest(Connection(), "opportunity", "rec-5"), CancellationToken.None);
        var missing = await _adapter.ReadOneAsync(new AdapterRecordRequest(Connection(), "opportunity", "rec-99"), CancellationToken.None);

        Assert.Equal("Record 5", (string)found!.Data["name"]!);
        Assert.Null(missing);
    }

    [Fact]
    public async Task Writes_are_refused_as_permanent_because_the_peer_has_no_push_route()
    {
        var error = await Assert.ThrowsAsync<AdapterException>(() => _adapter.WriteAsync(
            new AdapterWriteRequest(Connection(), "opportunity", "rec-1", new JsonObject { ["name"] = "x" }, null), CancellationToken.None));

        Assert.Equal(AdapterErrorKind.Permanent, error.Kind);
        Assert.Contains("/push", error.Message);
    }
}
