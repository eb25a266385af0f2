using IntegrationSync.Shared.Webhooks;
using Microsoft.Extensions.Options;

namespace IntegrationSync.EventConsumer.Webhooks;

/// <summary>
/// After a failed attempt: whether the delivery is tried again and when. The n-th retry waits the n-th delay of
/// <c>webhooks.delivery.retry_schedule_seconds</c> moved by the jitter, or the receiver's <c>Retry-After</c> when it sent
/// one (capped); after <c>max_attempts</c> in a round, a 410, or a ping's single attempt, it is over.
/// </summary>
public sealed class RetryPlan(IOptions<WebhookOptions> options)
{
    private readonly WebhookDeliveryOptions _options = options.Value.Delivery;

    /// <summary>Null when the delivery has failed for good; otherwise the wait before the next attempt.</summary>
    public TimeSpan? NextDelay(WebhookDeliveryDocument delivery, AttemptResult result)
    {
        var attemptsInRound = delivery.RoundAttempts + 1;
        if (result.Gone || delivery.Kind == WebhookDeliveryDocument.PingKind || attemptsInRound >= _options.MaxAttempts)
        {
            return null;
        }
        if (result.RetryAfter is { } asked)
        {
            return TimeSpan.FromSeconds(Math.Clamp(asked.TotalSeconds, 1, _options.MaxRetryAfterSeconds));
        }
        var scheduled = _options.RetryScheduleSeconds[attemptsInRound - 1];
        var spread = _options.RetryJitterPercent / 100.0;
        return TimeSpan.FromSeconds(scheduled * (1 + spread * (2 * Random.Shared.NextDouble() - 1)));
    }
}
