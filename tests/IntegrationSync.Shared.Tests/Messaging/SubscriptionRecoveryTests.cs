using IntegrationSync.Shared.Messaging;
using Microsoft.Extensions.DependencyInjection;
using RabbitMQ.Client;

namespace IntegrationSync.Shared.Tests.Messaging;

public sealed class SubscriptionRecoveryTests(MessagingHost host) : IClassFixture<MessagingHost>
{
    [Fact]
    public async Task A_subscription_the_broker_cancels_is_made_again_and_readiness_reports_the_gap()
    {
        var consumer = Assert.Single(host.Host.Services.GetRequiredService<ActiveConsumers>().All);
        Assert.True(consumer.IsConsuming);

        // Deleting the queue makes the broker cancel its consumers (basic.cancel), the connection staying up.
        await using (var connection = await new ConnectionFactory { Uri = new Uri(host.Url) }.CreateConnectionAsync())
        await using (var channel = await connection.CreateChannelAsync())
        {
            await channel.QueueDeleteAsync(host.Queue.Name);
        }
        await Eventually(() => !consumer.IsConsuming, "readiness to report the cancelled subscription");
        await Eventually(() => consumer.IsConsuming, "the subscription to be made again");

        var id = Guid.NewGuid().ToString();
        await host.Publisher.PublishAsync(new Probe(id, Fail: false), "");
        await host.WaitForAttemptsAsync(id, 1, TimeSpan.FromSeconds(30));
    }

    private static async Task Eventually(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out waiting for {what}");
            }
            await Task.Delay(10);
        }
    }
}
