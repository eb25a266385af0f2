using IntegrationSync.Shared.Configuration.Options;
using IntegrationSync.Shared.Contracts;
using IntegrationSync.Shared.Contracts.Events;
using IntegrationSync.Shared.Leases;
using IntegrationSync.Shared.Messaging;
using Microsoft.Extensions.Options;

namespace IntegrationSync.SyncRunner.Scheduling;

/// <summary>
/// On start and every <c>sync_scheduler.interval_ms</c>, once per fleet, asks integration-manager which integrations
/// are due (<c>integration.sync.check_due</c>); it answers with <c>integration.sync.scheduled</c> per integration.
/// </summary>
public sealed class CheckDueTimer(
    FleetTimer timer, IEventPublisher publisher, IOptions<SyncSchedulerOptions> options, TimeProvider time, ILogger<CheckDueTimer> logger)
    : BackgroundService
{
    public const string TimerName = "sync-check-due";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            logger.LogInformation("Sync scheduler disabled (sync_scheduler.enabled = false)");
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
                    await publisher.PublishAsync(new SyncCheckDue(IsoTime.Format(time.GetUtcNow())), tenantId: "", cancellationToken: stoppingToken);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Due check failed; trying again in {Wait}", wait);
            }
            await Task.Delay(wait, time, stoppingToken);
        }
    }
}
