using IntegrationSync.Shared.Configuration;
using IntegrationSync.Shared.Webhooks;

namespace IntegrationSync.Shared.Tests.Webhooks;

public sealed class WebhookOptionsTests
{
    private static WebhookOptions Valid() => new()
    {
        Delivery = new WebhookDeliveryOptions { RetryScheduleSeconds = [5, 300], MaxAttempts = 3 },
        Inbound = new InboundWebhookOptions(),
    };

    private static IReadOnlyList<string> Failures(WebhookOptions options) =>
        new KeyedOptionsValidator<WebhookOptions>(WebhookOptions.Section).Validate(null, options).Failures?.ToList() ?? [];

    [Fact]
    public void The_defaults_with_a_schedule_are_valid() => Assert.Empty(Failures(Valid()));

    [Fact]
    public void More_attempts_than_the_schedule_has_delays_for_is_refused_naming_the_key()
    {
        var options = Valid();
        options.Delivery.MaxAttempts = 4;

        Assert.Contains(Failures(options), f => f.StartsWith("webhooks.delivery.max_attempts:", StringComparison.Ordinal));
    }

    [Fact]
    public void A_delay_outside_one_second_to_a_week_is_refused()
    {
        var options = Valid();
        options.Delivery.RetryScheduleSeconds = [5, 0];

        Assert.Contains(Failures(options), f => f.StartsWith("webhooks.delivery.retry_schedule_seconds:", StringComparison.Ordinal));
    }

    [Fact]
    public void Replays_must_be_remembered_for_at_least_twice_the_timestamp_tolerance()
    {
        var options = Valid();
        options.Inbound.TimestampToleranceSeconds = 600;
        options.Inbound.ReplayRetentionSeconds = 900;

        Assert.Contains(Failures(options), f => f.StartsWith("webhooks.inbound.replay_retention_seconds:", StringComparison.Ordinal));
    }

    [Fact]
    public void A_claim_must_outlast_two_attempt_timeouts()
    {
        var options = Valid();
        options.Delivery.TimeoutSeconds = 40;

        Assert.Contains(Failures(options), f => f.StartsWith("webhooks.delivery.claim_seconds:", StringComparison.Ordinal));
    }
}
