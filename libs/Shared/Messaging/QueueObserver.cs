using IntegrationSync.Shared.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace IntegrationSync.Shared.Messaging;

/// <summary>
/// Reads the depth of the queues this host consumes every <see cref="Interval"/> and keeps it, with each consumer's last
/// lag, for the queue gauges of <see cref="FleetMetrics"/> (a collection reads the cached values, never the broker).
/// </summary>
public sealed class QueueObserver(ActiveConsumers consumers, RabbitMqConnection connection, FleetMetrics metrics, TimeProvider time,
    ILogger<QueueObserver> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(15);
    private volatile IReadOnlyCollection<QueueObservation> _last = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        metrics.ObserveQueues(() => _last);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var conn = await connection.GetAsync(stoppingToken);
                await using var channel = await conn.CreateChannelAsync(cancellationToken: stoppingToken);
                var observed = new List<QueueObservation>();
                foreach (var consumer in consumers.All)
                {
                    var queue = await channel.QueueDeclarePassiveAsync(consumer.QueueName, stoppingToken);
                    observed.Add(new QueueObservation(consumer.QueueName, queue.MessageCount, consumer.LastLagSeconds));
                }
                _last = observed;
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogDebug("Queue depths not read this time: {Reason}", e.Message);
            }
            try
            {
                await Task.Delay(Interval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
