using IntegrationSync.Shared.Hosting;
using IntegrationSync.Shared.Messaging;
using IntegrationSync.TestSupport;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Xunit;

namespace IntegrationSync.Shared.Tests.Hosting;

public sealed class ReadinessProbeTests
{
    private readonly ManualTimeProvider _clock = new(new DateTimeOffset(2026, 6, 1, 10, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task Probes_within_five_seconds_share_one_check_and_a_later_probe_checks_again()
    {
        var health = new CountingHealthCheckService();
        var probe = new ReadinessProbe(health, _clock);

        await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => probe.CheckAsync(CancellationToken.None)));
        _clock.Advance(TimeSpan.FromSeconds(4.9));
        await probe.CheckAsync(CancellationToken.None);
        var checksWithinFiveSeconds = health.Checks;
        _clock.Advance(TimeSpan.FromSeconds(0.2));
        await probe.CheckAsync(CancellationToken.None);

        Assert.Equal(1, checksWithinFiveSeconds);
        Assert.Equal(2, health.Checks);
    }

    [Fact]
    public async Task Only_the_readiness_checks_run()
    {
        var health = new CountingHealthCheckService();

        await new ReadinessProbe(health, _clock).CheckAsync(CancellationToken.None);

        Assert.Equal(["cosmos"], health.Ran);
    }

    private sealed class CountingHealthCheckService : HealthCheckService
    {
        private int _checks;

        public int Checks => _checks;

        public List<string> Ran { get; } = [];

        public override async Task<HealthReport> CheckHealthAsync(Func<HealthCheckRegistration, bool>? predicate, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _checks);
            await Task.Yield();
            var registrations = new[]
            {
                new HealthCheckRegistration("cosmos", _ => null!, null, [HealthTags.Ready]),
                new HealthCheckRegistration("self", _ => null!, null, []),
            };
            lock (Ran)
            {
                Ran.AddRange(registrations.Where(r => predicate?.Invoke(r) != false).Select(r => r.Name));
            }
            return new HealthReport(new Dictionary<string, HealthReportEntry>(), TimeSpan.Zero);
        }
    }
}
