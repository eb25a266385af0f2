using IntegrationSync.Shared.Configuration.Options;
using IntegrationSync.Shared.Messaging;
using RabbitMQ.Client;

namespace IntegrationSync.Bench.Support;

/// <summary>
/// Removes what a harness declared on the broker: the fleet's queues under its prefix (with their retry and dead-letter
/// queues), any queues of its own, and its exchange. A shared broker (dev-up's) keeps nothing of a bench.
/// </summary>
public static class BrokerCleanup
{
    public static async Task DeleteAsync(string url, string exchange, IEnumerable<int> retryDelaysMs, params string[] ownQueues)
    {
        var topology = new FleetTopology(new RabbitMqOptions { Url = url, Exchange = exchange, QueuePrefix = exchange });
        var delays = retryDelaysMs.Distinct().ToArray();
        var queues = topology.Queues.Concat(ownQueues.Select(name => new QueueDefinition(name, [])))
            .SelectMany(q => delays.Select(q.RetryQueue).Append(q.Name).Append(q.DeadLetterQueue));
        await using var connection = await new ConnectionFactory { Uri = new Uri(url) }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        foreach (var queue in queues)
        {
            await channel.QueueDeleteAsync(queue);
        }
        await channel.ExchangeDeleteAsync(exchange);
    }
}
