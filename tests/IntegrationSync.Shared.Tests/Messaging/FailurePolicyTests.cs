using IntegrationSync.Shared.Messaging;

namespace IntegrationSync.Shared.Tests.Messaging;

public class FailurePolicyTests
{
    private static readonly QueueDefinition Queue = new("integration_sync.runner", ["integration.sync.requested"]);
    private static readonly int[] Delays = [1000, 10000, 60000];

    [Theory]
    [InlineData(0, "integration_sync.runner.retry.1000", 1)]
    [InlineData(1, "integration_sync.runner.retry.10000", 2)]
    [InlineData(2, "integration_sync.runner.retry.60000", 3)]
    public void Retries_with_growing_delays(int previous, string queue, int retryCount)
    {
        var route = FailurePolicy.Route(Queue, Delays, previous, permanent: false);

        Assert.Equal(new FailureRoute(queue, Parked: false, retryCount), route);
    }

    [Fact]
    public void Parks_after_the_last_delay()
    {
        Assert.Equal(new FailureRoute("integration_sync.runner.dlq", Parked: true, 3), FailurePolicy.Route(Queue, Delays, 3, permanent: false));
    }

    [Theory]
    [InlineData(3)]
    [InlineData(40)]
    public void An_outage_past_the_last_delay_waits_at_the_last_delay_and_is_never_parked(int previous)
    {
        Assert.Equal(new FailureRoute("integration_sync.runner.retry.60000", Parked: false, previous + 1),
            FailurePolicy.Route(Queue, Delays, previous, permanent: false, outage: true));
    }

    [Fact]
    public void Parks_a_permanent_failure_at_once()
    {
        Assert.True(FailurePolicy.Route(Queue, Delays, 0, permanent: true).Parked);
    }
}
