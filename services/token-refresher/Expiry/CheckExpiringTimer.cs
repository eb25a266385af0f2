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
    TimeProvider time,
    ILogger<CheckExpiringTimer> logger) : BackgroundService
{
    public const string TimerName = "token-check-expiring";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            logger.LogInformation("Token refresh timer disabled (token_refresh.enabled = false)");
            return;
        }

        var interval = TimeSpan.FromMilliseconds(options.Value.IntervalMs);
        while (!stoppingToken.IsCancellationRequested)
        {
            var wait = TimeSpan.FromSeconds(5);
            try
            {
                (var fired, wait) = await timer.TryFireAsync(TimerName, interval, stoppingToken);
                if (fired)
                {
                    await PublishCheckAsync(stoppingToken);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Token expiry check failed; trying again in {Wait}", wait);
            }
            await Task.Delay(wait, time, stoppingToken);
        }
    }

    private async Task PublishCheckAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var threshold = now.AddMilliseconds(options.Value.ExpirationThresholdMs);
        // A system-level event: the envelope tenant is "" (a UUID or empty is what the shared validator accepts).
        await publisher.PublishAsync(new TokenCheckExpiring(IsoTime.Format(now), IsoTime.Format(threshold)), tenantId: "", cancellationToken: cancellationToken);
        logger.LogInformation("Published token expiry check for connections expiring before {Threshold}", IsoTime.Format(threshold));
    }
}
