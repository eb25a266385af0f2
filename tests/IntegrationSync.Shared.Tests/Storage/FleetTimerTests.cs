using IntegrationSync.Shared.Leases;
using IntegrationSync.Shared.Messaging;
using IntegrationSync.TestSupport;

namespace IntegrationSync.Shared.Tests.Storage;

public sealed class FleetTimerTests(CosmosTestDatabase database) : IClassFixture<CosmosTestDatabase>
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(60);

    [Fact]
    public async Task Two_replicas_fire_once_per_interval_between_them()
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero));
        var replicas = new[] { Replica(clock, "a"), Replica(clock, "b") };
        var name = TestInfrastructure.UniqueName("timer");
        var fired = new List<int>();

        for (var tick = 0; tick < 4; tick++)
        {
            var results = await Task.WhenAll(replicas.Select(r => r.TryFireAsync(name, Interval, CancellationToken.None)));
            fired.Add(results.Count(r => r.Fired));
            var again = await Task.WhenAll(replicas.Select(r => r.TryFireAsync(name, Interval, CancellationToken.None)));
            fired.Add(again.Count(r => r.Fired));
            clock.Advance(Interval);
        }

        Assert.Equal([1, 0, 1, 0, 1, 0, 1, 0], fired);
    }

    [Fact]
    public async Task A_replica_that_did_not_fire_is_told_how_long_until_the_next_tick()
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero));
        var name = TestInfrastructure.UniqueName("timer");
        await Replica(clock, "a").TryFireAsync(name, Interval, CancellationToken.None);
        clock.Advance(TimeSpan.FromMinutes(15));

        var (fired, next) = await Replica(clock, "b").TryFireAsync(name, Interval, CancellationToken.None);

        Assert.False(fired);
        Assert.Equal(TimeSpan.FromMinutes(45), next);
    }

    private FleetTimer Replica(TimeProvider clock, string name) => new(database.Containers, new ServiceIdentity(name), clock);
}
