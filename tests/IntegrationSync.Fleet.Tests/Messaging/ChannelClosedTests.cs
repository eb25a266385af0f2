using System.Reflection;
using IntegrationSync.Fleet.Tests.Runner;
using IntegrationSync.Shared.Messaging;
using IntegrationSync.Shared.Sync;
using Microsoft.Extensions.DependencyInjection;
using RabbitMQ.Client;

namespace IntegrationSync.Fleet.Tests.Messaging;

public sealed class ChannelClosedTests(FleetHarness fleet) : IClassFixture<FleetHarness>
{
    [Fact]
    public async Task A_consumer_whose_channel_the_broker_closes_with_a_406_reports_it_subscribes_again_and_the_next_sync_completes()
    {
        var consumer = fleet.Runners[0].Services.GetRequiredService<ActiveConsumers>().All.Single();
        var channel = ChannelOf(consumer);
        Assert.True(consumer.IsConsuming);

        // An ack of a delivery the channel never had is what a stale delivery tag (e.g. after consumer_timeout) looks like
        // to the broker: it closes the channel with 406 PRECONDITION_FAILED, the connection stays up.
        await channel.BasicAckAsync(deliveryTag: 999_999, multiple: false);
        await FleetRuns.EventuallyAsync(() => !channel.IsOpen, "the broker to close the channel");
        Assert.Equal((ushort?)406, channel.CloseReason?.ReplyCode);

        await FleetRuns.EventuallyAsync(() => consumer.IsConsuming && !ReferenceEquals(ChannelOf(consumer), channel), "the consumer to subscribe again");
        var integrationId = await fleet.AddSampleIntegrationAsync(count: 120, pageSize: 40);
        var taskId = await fleet.TriggerAsync(integrationId);
        await fleet.WaitForTaskAsync(taskId, SyncStatus.Completed, FleetRuns.Wait);
    }

    // The broker offers no way to close one channel from outside; the consumer's own channel is reached for the fault only.
    private static IChannel ChannelOf(QueueConsumer consumer) =>
        (IChannel)typeof(QueueConsumer).GetField("_channel", BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(consumer)!;
}
