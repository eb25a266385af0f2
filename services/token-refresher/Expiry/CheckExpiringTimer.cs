using IntegrationSync.Shared.Configuration.Options;
using IntegrationSync.Shared.Contracts;
using IntegrationSync.Shared.Contracts.Events;
using IntegrationSync.Shared.Leases;
using IntegrationSync.Shared.Messaging;
using Microsoft.Extensions.Options;

namespace IntegrationSync.TokenRefresher.Expiry;

/// <summary>
/// On start and every <c>token_refresh.interval_ms</c> (once per fleet), asks integration-manager which
/// OAuth connections expire before <c>now + expiration_threshold_ms</c>.
/// </summary>
public sealed class CheckExpiringTimer(
    FleetTimer timer,
    IEventPublisher publisher,
    IOptions<TokenRefreshOptions> options,
    IOptions<CompatibilityOptions> compatibility,
    TimeProvider time,
    ILogger<CheckExpiringTimer> logger) : FleetTimerService(timer, time, logger)
{
    public const string SystemTenant = "system";

    protected override string TimerName => "token-check-expiring";

    protected override TimeSpan Interval => TimeSpan.FromMilliseconds(options.Value.IntervalMs);

    /// <summary>Unmodified peers refuse the hyphenated name (reference §2.6): the check would reach no one.</summary>
    protected override bool Enabled => options.Value.Enabled && !compatibility.Value.UnmodifiedPeers;

    protected override async Task TickAsync(CancellationToken cancellationToken)
    {
        var now = Time.GetUtcNow();
        var threshold = now.AddMilliseconds(options.Value.ExpirationThresholdMs);
        // A fleet-wide event, published for tenant "system" as the original did (reference §5.11); integration-manager
        // queries every tenant's connections on it.
        await publisher.PublishAsync(new TokenCheckExpiring(IsoTime.Format(now), IsoTime.Format(threshold)), SystemTenant, cancellationToken: cancellationToken);
        Logger.LogInformation("Published token expiry check for connections expiring before {Threshold}", IsoTime.Format(threshold));
    }
}
