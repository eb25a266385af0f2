using System.Text.Json.Nodes;
using IntegrationSync.Shared.Peers;
using IntegrationSync.SyncRunner.Adapters;
using IntegrationSync.SyncRunner.Adapters.IntegrationManager;
using IntegrationSync.SyncRunner.Tests.Fakes;
using IntegrationSync.TestSupport.VendorFakes;

namespace IntegrationSync.SyncRunner.Tests.Adapters.IntegrationManager;

/// <summary>integration-manager is a peer at a URL the operator configures, not a tenant's target: no outbound guard.</summary>
public sealed class IntegrationManagerAdapterTests : AdapterContractTests<FakeIntegrationManager, IntegrationManagerAdapter>
{
    protected override string EntityType => "opportunity";

    protected override string? IntegrationManagerUrl => Fake.BaseUrl;

    protected override Task<FakeIntegrationManager> StartFakeAsync() => FakeIntegrationManager.StartAsync(AdapterServices.JwtSecret);

    protected override AdapterConnection Connection() => Connection(null);

    private AdapterConnection Connection(string? integrationId) => new(
        new IntegrationDescriptor(integrationId ?? Fake.IntegrationId, "integration-manager", "crm", "connected", null, new JsonObject { ["pageSize"] = 3 }, []),
        AdapterCredentials.None, Fake.TenantId);

    protected override List<string> Seed(int count)
    {
        for (var i = 0; i < count; i++)
        {
            Fake.Records.Add(new JsonObject { ["id"] = $"rec-{i}", ["name"] = $"Record {i}" });
        }
        return Fake.Records.Select(r => (string)r["id"]!).ToList();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Pages_by_limit_and_offset_until_a_short_page_from_a_bare_array_or_a_data_wrapper(bool wrapInData)
    {
        var expected = Seed(8);
        Fake.WrapInData = wrapInData;

        var pages = await Adapter.ReadAllAsync(Connection(), "opportunity", filters: new JsonObject { ["stage"] = "open" });

        Assert.Equal(expected, pages.Ids());
        Assert.Equal(["3", "6", null], pages.Select(p => p.NextCursor));
        var bodies = Fake.FetchBodies.ToList();
        Assert.Equal([0, 3, 6], bodies.Select(b => (int)b["offset"]!));
        Assert.All(bodies, b => Assert.Equal(3, (int)b["limit"]!));
        Assert.All(bodies, b => Assert.Equal("opportunity", (string)b["entityType"]!));
        Assert.All(bodies, b => Assert.Equal("open", (string)b["filters"]!["stage"]!));
    }

    [Fact]
    public async Task A_full_last_page_is_followed_by_an_empty_one_and_the_cursor_resumes_at_its_offset()
    {
        var expected = Seed(6);

        var pages = await Adapter.ReadAllAsync(Connection(), "opportunity");
        var resumed = await Adapter.ReadAllAsync(Connection(), "opportunity", pages[0].NextCursor);

        Assert.Equal(expected, pages.Ids());
        Assert.Empty(pages[^1].Records);
        Assert.Equal(expected[3..], resumed.Ids());
    }

    [Fact]
    public async Task Records_without_an_id_get_a_stable_content_hash_and_externalId_is_used_when_present()
    {
        Fake.Records.Add(new JsonObject { ["name"] = "No id", ["amount"] = 10 });
        Fake.Records.Add(new JsonObject { ["externalId"] = "ext-7", ["name"] = "External" });
        Fake.Records.Add(new JsonObject { ["name"] = "Another", ["amount"] = 11 });

        var first = (await Adapter.ReadAllAsync(Connection(), "opportunity")).Ids();
        var second = (await Adapter.ReadAllAsync(Connection(), "opportunity")).Ids();

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
            Fake.Records.Add(new JsonObject { ["eventId"] = "later", [field] = $"{field}-1" });
        }
        Fake.Records.Add(new JsonObject { ["eventId"] = "eventId-1" });
        Fake.Records.Add(new JsonObject { ["externalId"] = "ext-1", ["documentId"] = "doc-2" });

        var ids = (await Adapter.ReadAllAsync(Connection(), "activity")).Ids();

        Assert.Equal(["documentId-1", "emailId-1", "messageId-1", "meetingId-1", "eventId-1", "ext-1"], ids);
    }

    [Fact]
    public async Task A_provider_that_ignores_offset_fails_permanently_instead_of_looping()
    {
        Seed(8);
        Fake.IgnoreOffset = true;

        var error = await Assert.ThrowsAsync<AdapterException>(() => Adapter.ReadAllAsync(Connection(), "opportunity"));

        Assert.Equal(AdapterErrorKind.Permanent, error.Kind);
        Assert.Equal(2, Fake.FetchBodies.Count);
    }

    [Fact]
    public async Task An_unknown_integration_is_permanent()
    {
        Seed(5);
        var unknown = await Assert.ThrowsAsync<AdapterException>(() => Adapter.ReadAllAsync(Connection(Guid.NewGuid().ToString()), "opportunity"));

        Assert.Equal(AdapterErrorKind.Permanent, unknown.Kind);
        Assert.Contains("404", unknown.Message);
    }

    [Fact]
    public async Task Reads_one_record_by_scanning_fetch_and_null_when_absent()
    {
        Seed(7);

        var found = await Adapter.ReadOneAsync(new AdapterRecordRequest(Connection(), "opportunity", "rec-5"), CancellationToken.None);
        var missing = await Adapter.ReadOneAsync(new AdapterRecordRequest(Connection(), "opportunity", "rec-99"), CancellationToken.None);

        Assert.Equal("Record 5", (string)found!.Data["name"]!);
        Assert.Null(missing);
    }

    [Fact]
    public async Task Writes_are_refused_as_permanent_because_the_peer_has_no_push_route()
    {
        var error = await Assert.ThrowsAsync<AdapterException>(() => Adapter.WriteAsync(
            new AdapterWriteRequest(Connection(), "opportunity", "rec-1", new JsonObject { ["name"] = "x" }, null), CancellationToken.None));

        Assert.Equal(AdapterErrorKind.Permanent, error.Kind);
        Assert.Contains("/push", error.Message);
    }
}
