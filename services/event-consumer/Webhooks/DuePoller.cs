using IntegrationSync.Shared.Webhooks;
using Microsoft.Extensions.Options;

namespace IntegrationSync.EventConsumer.Webhooks;

/// <summary>
/// Every replica, every <c>webhooks.delivery.poll_interval_ms</c>: the pending deliveries that are due (retries, pings,
/// redeliveries, and first attempts a stopped replica never made), as many as the dispatcher has room for, in a shuffled
/// order so replicas polling at once mostly claim different ones. Competing consumers rather than a once-per-fleet timer:
/// every replica sends, and a replica that dies loses nothing but its claims, which end.
/// </summary>
public sealed class DuePoller(
    WebhookDeliveryRepository deliveries, DeliveryDispatcher dispatcher, IOptions<WebhookOptions> options, TimeProvider time, ILogger<DuePoller> logger)
    : BackgroundService
{
    private const int MaxPerPoll = 500;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromMilliseconds(options.Value.Delivery.PollIntervalMs);
        try
        {
            // Replicas started together would otherwise poll in step.
            await Task.Delay(interval * Random.Shared.NextDouble(), time, stoppingToken);
            while (!stoppingToken.IsCancellationRequested)
            {
                await PollAsync(stoppingToken);
                await Task.Delay(interval, time, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task PollAsync(CancellationToken cancellationToken)
    {
        var room = Math.Min(dispatcher.Room, MaxPerPoll);
        if (room == 0)
        {
            return;
        }
        try
        {
            var due = await deliveries.DueAsync(time.GetUtcNow(), room, dispatcher.BusyEndpoints, cancellationToken);
            foreach (var delivery in due.OrderBy(_ => Random.Shared.Next()))
            {
                dispatcher.TryEnqueue(new DeliveryWork(delivery));
            }
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("Polling for due webhook deliveries failed ({Error}); trying again at the next poll", e.Message);
        }
    }
}
