using System.Text.Json.Nodes;
using IntegrationSync.Shared.Contracts;
using IntegrationSync.Shared.SyncState;
using IntegrationSync.TestSupport;

namespace IntegrationSync.Shared.Tests.SyncState;

/// <summary>The per-record container (partition key <c>/id</c>) on the Cosmos test server: point and batch reads, and the queries pushes and the sweep use.</summary>
public sealed class SyncRecordRepositoryTests(CosmosTestDatabase database) : IClassFixture<CosmosTestDatabase>
{
    private static readonly DateTimeOffset T = new(2026, 7, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly string _tenant = Guid.NewGuid().ToString();
    private readonly string _integration = Guid.NewGuid().ToString();

    private SyncRecordRepository Records => new(database.Containers);

    [Fact]
    public async Task Records_are_read_one_by_one_and_a_page_at_a_time()
    {
        var a = await CreateAsync("A", pending: null);
        var b = await CreateAsync("B", pending: null);

        var many = await Records.ReadManyAsync([a.Id, b.Id, SyncRecordDocument.IdFor(_tenant, _integration, "opportunity", "missing")], CancellationToken.None);
        var one = await Records.ReadAsync(_tenant, a.Id, CancellationToken.None);

        Assert.Equal(new[] { a.Id, b.Id }.Order(), many.Keys.Order());
        Assert.Equal(("A", "opportunity"), (one!.ExternalId, one.EntityType));
        Assert.Equal(SyncRecordDocument.IdFor(_tenant, _integration, "Opportunity", "A"), a.Id);
        Assert.NotEqual(SyncRecordDocument.IdFor(Guid.NewGuid().ToString(), _integration, "opportunity", "A"), a.Id);
    }

    [Fact]
    public async Task Pending_changes_come_oldest_first_without_failed_ones_or_those_waiting_for_a_person()
    {
        var later = await CreateAsync("P2", Pending(T.AddMinutes(2)));
        var first = await CreateAsync("P1", Pending(T.AddMinutes(1)));
        await CreateAsync("F", Pending(T) with { FailedAt = IsoTime.Format(T) });
        await CreateAsync("C", Pending(T), openConflict: Guid.NewGuid().ToString());
        await CreateAsync("N", pending: null);

        var pending = await Records.PendingAsync(_tenant, _integration, "Opportunity", 10, CancellationToken.None);

        Assert.Equal([first.Id, later.Id], pending.Select(r => r.Id));
    }

    [Fact]
    public async Task The_sweep_finds_changes_recorded_before_its_cutoff_whose_retry_is_due()
    {
        var stalled = await CreateAsync("S1", Pending(T));
        var due = await CreateAsync("S2", Pending(T) with { RetryAt = IsoTime.Format(T.AddMinutes(1)) });
        await CreateAsync("S3", Pending(T) with { RetryAt = IsoTime.Format(T.AddHours(1)) });
        await CreateAsync("S4", Pending(T.AddMinutes(10)));

        var found = await Records.StalledAsync(IsoTime.Format(T.AddMinutes(5)), IsoTime.Format(T.AddMinutes(5)), 1000, CancellationToken.None);

        Assert.Equal(new[] { due.Id, stalled.Id }.Order(), found.Where(r => r.TenantId == _tenant).Select(r => r.Id).Order());
    }

    private static PendingChange Pending(DateTimeOffset at) => new(IsoTime.Format(at), IsoTime.Format(at), 1, Guid.NewGuid().ToString());

    private Task<SyncRecordDocument> CreateAsync(string externalId, PendingChange? pending, string? openConflict = null) =>
        Records.CreateAsync(new SyncRecordDocument
        {
            Id = SyncRecordDocument.IdFor(_tenant, _integration, "opportunity", externalId), TenantId = _tenant, IntegrationId = _integration,
            EntityType = "opportunity", ExternalId = externalId, Pending = pending, OpenConflictId = openConflict, Base = new JsonObject { ["name"] = externalId },
        }, CancellationToken.None);
}
