using IntegrationSync.Shared.Configuration;
using IntegrationSync.Shared.Webhooks;
using Microsoft.Extensions.Configuration;

namespace IntegrationSync.EventConsumer.Tests.Webhooks;

/// <summary>The shipped <c>config/default.yaml</c> (copied beside the service): Standard Webhooks' retry schedule, about a day.</summary>
public sealed class RetryScheduleDefaultsTests
{
    private static WebhookDeliveryOptions Shipped()
    {
        var config = new ConfigurationBuilder()
            .AddIntegrationSyncConfiguration(Path.Combine(AppContext.BaseDirectory, "config"), _ => null)
            .Build();
        return config.GetSection("webhooks:delivery").Get<WebhookDeliveryOptions>()!;
    }

    [Fact]
    public void The_default_schedule_is_the_Standard_Webhooks_one_with_an_attempt_after_each_delay()
    {
        var delivery = Shipped();

        Assert.Equal([5, 300, 1800, 7200, 18000, 36000, 36000], delivery.RetryScheduleSeconds);
        Assert.Equal(delivery.RetryScheduleSeconds.Length + 1, delivery.MaxAttempts);
        Assert.InRange(TimeSpan.FromSeconds(delivery.RetryScheduleSeconds.Sum()), TimeSpan.FromHours(24), TimeSpan.FromHours(30));
    }
}
