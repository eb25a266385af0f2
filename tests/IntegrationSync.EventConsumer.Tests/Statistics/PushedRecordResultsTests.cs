using IntegrationSync.Shared.Contracts.Events;
using IntegrationSync.TestSupport;

namespace IntegrationSync.EventConsumer.Tests.Statistics;

/// <summary>The mapper's results for vendor records a push took into their shards belong to no execution: taken, never retried or parked.</summary>
public sealed class PushedRecordResultsTests(StatisticsHarness harness) : IClassFixture<StatisticsHarness>
{
    private readonly string _tenant = Guid.NewGuid().ToString();

    [Fact]
    public async Task Results_of_a_pushs_raw_event_are_acked_without_an_execution_while_an_unknown_tasks_result_is_parked()
    {
        var pull = Guid.NewGuid().ToString();
        await harness.Peer.PublishAsync(new DataMapped("i-1", _tenant, "shard-1", "ext-1", DataRaw.PushTaskId, $"i-1-ext-1-{pull}", pull), _tenant);
        await harness.Peer.PublishAsync(new DataMappingFailed("i-1", _tenant, "ext-2", DataRaw.PushTaskId, $"i-1-ext-2-{pull}", pull, "no mapping for field"), _tenant);
        // Published after them, and retried on the same delays until parked: a pull result that failed would be parked with it.
        var unknown = Guid.NewGuid().ToString();
        await harness.Peer.PublishAsync(new DataMapped("i-1", _tenant, "shard-3", "ext-3", unknown, $"i-1-ext-3-{unknown}", unknown), _tenant);

        Assert.Equal(1u, await harness.ParkedCountAsync(1));
        await QuietAsync();
        Assert.Equal(1u, await harness.ParkedCountAsync(1));
    }

    /// <summary>Until the consumers' queue and its retry queues hold nothing, three looks in a row.</summary>
    private async Task QuietAsync()
    {
        await using var connection = await new RabbitMQ.Client.ConnectionFactory { Uri = new Uri(await TestInfrastructure.RabbitMqUrlAsync()) }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        string[] queues = [$"{harness.Exchange}.event_consumer", .. new[] { 200, 500, 1000 }.Select(ms => $"{harness.Exchange}.event_consumer.retry.{ms}")];
        var deadline = DateTime.UtcNow.AddSeconds(30);
        for (var quiet = 0; quiet < 3 && DateTime.UtcNow < deadline;)
        {
            var ready = 0u;
            foreach (var queue in queues)
            {
                ready += (await channel.QueueDeclarePassiveAsync(queue)).MessageCount;
            }
            quiet = ready == 0 ? quiet + 1 : 0;
            await Task.Delay(300);
        }
    }
}
