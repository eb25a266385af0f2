using IntegrationSync.CastielPeers.Stubs;

namespace IntegrationSync.TokenRefresher.Tests;

public sealed class SingleFlightFixture : TokenRefresherHarness
{
    protected override int Replicas => 2;

    protected override IEnumerable<string> RefresherArgs => ["--token_refresh:enabled=false", "--token_refresh:single_flight_seconds=60"];
}

/// <summary>Two refresher replicas on one queue: requests for one connection within the window make one refresh call.</summary>
public sealed class SingleFlightTests(SingleFlightFixture harness) : IClassFixture<SingleFlightFixture>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Ten_duplicate_requests_spread_over_two_replicas_cause_one_refresh()
    {
        // The broker hands a queue's messages round-robin to its consumers: both replicas get some of the ten.
        Assert.Equal(2u, await harness.ConsumerCountAsync());
        var integrationId = await harness.AddIntegrationAsync();
        var connectionId = Guid.NewGuid().ToString();
        // A slow refresh, so that most duplicates arrive while it is still in flight.
        await harness.ScriptRefreshAsync(connectionId, new ScriptedAnswer(Success: true, DelayMs: 300));

        var requests = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => harness.RequestRefreshAsync(connectionId, integrationId, harness.TenantId)));

        await harness.Handled.WaitAsync(requests, Wait);
        Assert.Equal(1, await harness.RefreshCallsAsync(connectionId));
        Assert.Single(harness.Refreshed(connectionId));
        Assert.Empty(harness.RefreshFailed(connectionId));
        Assert.All(requests, id => Assert.Equal(1, harness.Handled.Count(id)));
    }

    [Fact]
    public async Task A_request_after_the_refresh_but_within_the_window_is_acked_without_a_call()
    {
        var integrationId = await harness.AddIntegrationAsync();
        var connectionId = Guid.NewGuid().ToString();
        var first = await harness.RequestRefreshAsync(connectionId, integrationId, harness.TenantId);
        await harness.Handled.WaitAsync([first], Wait);
        Assert.Single(harness.Refreshed(connectionId));

        var second = await harness.RequestRefreshAsync(connectionId, integrationId, harness.TenantId);

        await harness.Handled.WaitAsync([second], Wait);
        Assert.Equal(1, harness.Handled.Count(second));
        Assert.Equal(1, await harness.RefreshCallsAsync(connectionId));
        Assert.Single(harness.Refreshed(connectionId));
    }

    [Fact]
    public async Task Requests_for_different_connections_do_not_hold_each_other_back()
    {
        var integrationId = await harness.AddIntegrationAsync();
        var connections = Enumerable.Range(0, 4).Select(_ => Guid.NewGuid().ToString()).ToList();

        var requests = await Task.WhenAll(connections.Select(c => harness.RequestRefreshAsync(c, integrationId, harness.TenantId)));

        await harness.Handled.WaitAsync(requests, Wait);
        foreach (var connectionId in connections)
        {
            Assert.Equal(1, await harness.RefreshCallsAsync(connectionId));
            Assert.Single(harness.Refreshed(connectionId));
        }
    }
}
