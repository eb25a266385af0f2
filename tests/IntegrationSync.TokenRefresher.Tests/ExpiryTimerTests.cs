using System.Text;
using IntegrationSync.Shared.Contracts;
using IntegrationSync.Shared.Contracts.Events;

namespace IntegrationSync.TokenRefresher.Tests;

public sealed class ExpiryTimerFixture : TokenRefresherHarness
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    protected override int Replicas => 2;

    protected override IEnumerable<string> RefresherArgs =>
        ["--token_refresh:enabled=true", $"--token_refresh:interval_ms={Interval.TotalMilliseconds}"];
}

public sealed class ExpiryTimerTests(ExpiryTimerFixture harness) : IClassFixture<ExpiryTimerFixture>
{
    private static readonly TimeSpan Interval = ExpiryTimerFixture.Interval;

    [Fact]
    public async Task Two_replicas_publish_one_expiry_check_per_interval_between_them()
    {
        var from = harness.AllReplicasStartedAt;
        var observeUntil = from + 4.5 * Interval;
        if (observeUntil > DateTimeOffset.UtcNow)
        {
            await Task.Delay(observeUntil - DateTimeOffset.UtcNow);
        }

        var checks = harness.Wire.OfType(EventNames.TokenCheckExpiring)
            .Select(m => IsoTime.Parse(m.Data<TokenCheckExpiring>().Timestamp)!.Value)
            .Where(timestamp => timestamp >= from)
            .Count();
        var elapsed = DateTimeOffset.UtcNow - from;

        // A fleet tick fires only once the previous one's due time (fired at + interval) has passed, so k+1 checks
        // take at least k intervals. The slack covers a check stamped after its tick won (a Cosmos read and write
        // later, so it may count although it won just before `from`) and due times stored to the millisecond.
        // Two replicas ticking on their own would publish about twice as many (9 or more here, against at most 6).
        var allowed = (int)Math.Floor((elapsed + 0.9 * Interval) / Interval) + 1;
        Assert.InRange(checks, 2, allowed);
    }

    [Fact]
    public async Task The_expiry_check_is_published_for_tenant_system_as_the_original_did()
    {
        await harness.Wire.WaitUntilAsync(m => m.Any(x => x.Envelope.Type == EventNames.TokenCheckExpiring), TimeSpan.FromSeconds(30), "check-expiring");

        var check = harness.Wire.OfType(EventNames.TokenCheckExpiring).First();

        Assert.Equal("system", check.Envelope.TenantId);
        Assert.Equal("system", Encoding.UTF8.GetString((byte[])check.Properties.Headers!["tenantId"]!));
    }
}
