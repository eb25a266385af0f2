using IntegrationSync.Shared.Contracts;
using IntegrationSync.Shared.Webhooks;
using Microsoft.Extensions.Options;

namespace IntegrationSync.EventConsumer.Webhooks;

/// <summary>
/// A registration's failure streak: a delivered event resets it; an event that failed for good adds one, and at
/// <c>webhooks.delivery.disable_after_failures</c> in a row (or at once on 410 Gone) the registration is disabled with
/// the reason. Re-enabling it through the API starts the streak again at zero.
/// </summary>
public sealed class RegistrationHealth(WebhookRepository webhooks, IOptions<WebhookOptions> options, TimeProvider time, ILogger<RegistrationHealth> logger)
{
    public async Task AfterDeliveryAsync(WebhookDocument seen, WebhookDeliveryDocument delivery, AttemptResult last, CancellationToken cancellationToken)
    {
        if (delivery.Status == WebhookDeliveryDocument.Succeeded)
        {
            if ((seen.ConsecutiveFailures ?? 0) > 0)
            {
                await webhooks.UpdateAsync(seen.TenantId, seen.Id, w => w.ConsecutiveFailures is null or 0 ? null : w with { ConsecutiveFailures = 0 },
                    cancellationToken);
            }
            return;
        }
        var limit = options.Value.Delivery.DisableAfterFailures;
        var now = IsoTime.Format(time.GetUtcNow());
        var updated = await webhooks.UpdateAsync(seen.TenantId, seen.Id, w =>
        {
            var failures = (w.ConsecutiveFailures ?? 0) + 1;
            var reason = last.Gone
                ? "the endpoint answered 410 Gone"
                : failures >= limit ? $"{failures} deliveries in a row failed; the last: {last.Error}" : null;
            return reason is null || !w.EffectiveActive
                ? w with { ConsecutiveFailures = failures }
                : w with { ConsecutiveFailures = failures, Active = false, DisabledReason = reason, DisabledAt = now, UpdatedAt = now };
        }, cancellationToken);
        if (updated is { Active: false, DisabledAt: { } at } && at == now)
        {
            logger.LogWarning("Webhook {WebhookId} of tenant {TenantId} disabled: {Reason}", updated.EffectiveId, updated.TenantId, updated.DisabledReason);
        }
    }
}
