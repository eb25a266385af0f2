using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace IntegrationSync.Shared.Leases;

/// <summary>
/// A background loop that does its work once per fleet per interval, however many replicas run it: each replica asks
/// the <see cref="FleetTimer"/> whether the tick is its own, works if so, and sleeps until the next tick is due.
/// A tick that throws (a confirm timeout included) is logged and the next tick comes as usual: it never stops the host.
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
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogError(e, "Timer {Timer} tick failed; trying again in {Wait}", TimerName, wait);
            }
            try
            {
                await Task.Delay(wait, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Works through a sweep's documents one by one: one that fails is logged and skipped, the next tick tries it again.</summary>
    protected async Task ForEachAsync<T>(IEnumerable<T> items, Func<T, string> describe, Func<T, CancellationToken, Task> work, CancellationToken cancellationToken)
    {
        foreach (var item in items)
        {
            try
            {
                await work(item, cancellationToken);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                logger.LogError(e, "Timer {Timer} skipped {Item}; the next tick tries it again", TimerName, describe(item));
            }
        }
    }
}
