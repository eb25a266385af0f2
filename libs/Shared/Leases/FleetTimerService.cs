using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace IntegrationSync.Shared.Leases;

/// <summary>
/// A background loop that does its work once per fleet per interval, however many replicas run it: each replica asks
/// the <see cref="FleetTimer"/> whether the tick is its own, works if so, and sleeps until the next tick is due.
/// An error in one tick is logged; the next tick comes as usual.
/// </summary>
public abstract class FleetTimerService(FleetTimer timer, TimeProvider time, ILogger logger) : BackgroundService
{
    protected TimeProvider Time => time;

    protected ILogger Logger => logger;

    protected abstract string TimerName { get; }

    protected abstract TimeSpan Interval { get; }

    protected virtual bool Enabled => true;

    protected abstract Task TickAsync(CancellationToken cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Enabled)
        {
            logger.LogInformation("Timer {Timer} disabled by configuration", TimerName);
            return;
        }
        while (!stoppingToken.IsCancellationRequested)
        {
            var wait = TimeSpan.FromSeconds(Math.Min(5, Interval.TotalSeconds));
            try
            {
                (var fired, wait) = await timer.TryFireAsync(TimerName, Interval, stoppingToken);
                if (fired)
                {
                    await TickAsync(stoppingToken);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Timer {Timer} tick failed; trying again in {Wait}", TimerName, wait);
            }
            await Task.Delay(wait, time, stoppingToken);
        }
    }
}
