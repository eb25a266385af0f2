using IntegrationSync.Shared.Limits;
using IntegrationSync.Shared.Storage;
using IntegrationSync.TestSupport;

namespace IntegrationSync.SyncApi.Tests.Limits;

public sealed class MinIntervalGateTests(ApiHost host) : IClassFixture<ApiHost>
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(5);
    private readonly string _tenant = Guid.NewGuid().ToString();
    private readonly string _integration = Guid.NewGuid().ToString();
    private readonly ManualTimeProvider _clock = new(new DateTimeOffset(2026, 6, 1, 10, 0, 0, TimeSpan.Zero));

    private MinIntervalGate Gate() => new(host.Get<CosmosContainers>(), _clock);

    [Fact]
    public async Task Of_concurrent_openers_exactly_one_gets_the_window()
    {
        var gates = Enumerable.Range(0, 8).Select(_ => Gate()).ToList();

        var decisions = await Task.WhenAll(gates.Select((g, i) => g.TryOpenAsync(_tenant, _integration, Interval, $"task-{i}", CancellationToken.None)));

        Assert.Single(decisions, d => d.IsAllowed);
        Assert.All(decisions.Where(d => !d.IsAllowed), d => Assert.Equal(300, d.RetryAfterSeconds));
    }

    [Fact]
    public async Task The_window_closes_after_the_interval_and_Retry_After_counts_down_rounded_up()
    {
        var gate = Gate();
        Assert.True((await gate.TryOpenAsync(_tenant, _integration, Interval, "first", CancellationToken.None)).IsAllowed);

        _clock.Advance(TimeSpan.FromSeconds(100.2));
        var inside = await gate.TryOpenAsync(_tenant, _integration, Interval, "second", CancellationToken.None);
        _clock.Advance(TimeSpan.FromSeconds(200));
        var after = await gate.TryOpenAsync(_tenant, _integration, Interval, "third", CancellationToken.None);

        Assert.False(inside.IsAllowed);
        Assert.Equal(200, inside.RetryAfterSeconds);
        Assert.True(after.IsAllowed);
        var window = await gate.ReadAsync(_tenant, MinIntervalWindowDocument.IdFor(_integration), CancellationToken.None);
        Assert.Equal("third", window!.Holder);
    }

    [Fact]
    public async Task The_holder_passes_again_and_only_the_holder_can_release()
    {
        var gate = Gate();
        await gate.TryOpenAsync(_tenant, _integration, Interval, "mine", CancellationToken.None);

        var again = await gate.TryOpenAsync(_tenant, _integration, Interval, "mine", CancellationToken.None);
        var releasedByOther = await gate.ReleaseAsync(_tenant, _integration, "theirs", CancellationToken.None);
        var releasedByHolder = await gate.ReleaseAsync(_tenant, _integration, "mine", CancellationToken.None);
        var reopened = await gate.TryOpenAsync(_tenant, _integration, Interval, "theirs", CancellationToken.None);

        Assert.True(again.IsAllowed);
        Assert.False(releasedByOther);
        Assert.True(releasedByHolder);
        Assert.True(reopened.IsAllowed);
    }

    [Fact]
    public async Task A_zero_interval_always_allows_and_stores_nothing()
    {
        var gate = Gate();

        var first = await gate.TryOpenAsync(_tenant, _integration, TimeSpan.Zero, "a", CancellationToken.None);
        var second = await gate.TryOpenAsync(_tenant, _integration, TimeSpan.Zero, "b", CancellationToken.None);

        Assert.True(first.IsAllowed && second.IsAllowed);
        Assert.Null(await gate.ReadAsync(_tenant, MinIntervalWindowDocument.IdFor(_integration), CancellationToken.None));
    }

    [Fact]
    public async Task Windows_are_per_tenant_and_integration()
    {
        var gate = Gate();
        await gate.TryOpenAsync(_tenant, _integration, Interval, "a", CancellationToken.None);

        var otherIntegration = await gate.TryOpenAsync(_tenant, Guid.NewGuid().ToString(), Interval, "b", CancellationToken.None);
        var otherTenant = await gate.TryOpenAsync(Guid.NewGuid().ToString(), _integration, Interval, "c", CancellationToken.None);

        Assert.True(otherIntegration.IsAllowed);
        Assert.True(otherTenant.IsAllowed);
    }
}
