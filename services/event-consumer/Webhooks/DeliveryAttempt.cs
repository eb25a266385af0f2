using IntegrationSync.Shared.Contracts;
using IntegrationSync.Shared.Hosting;
using IntegrationSync.Shared.Messaging;
using IntegrationSync.Shared.Webhooks;
using Microsoft.Extensions.Options;

namespace IntegrationSync.EventConsumer.Webhooks;

/// <summary>
/// One attempt of one delivery: claim it (under its ETag, so of the replicas that see it due exactly one sends), send it,
/// record the outcome and the next attempt, and keep the registration's failure streak. A replica that dies after
/// claiming leaves the delivery to fall due again when the claim ends.
/// </summary>
public sealed class DeliveryAttempt(
    WebhookDeliveryRepository deliveries,
    WebhookRepository webhooks,
    WebhookSender sender,
    RetryPlan plan,
    RegistrationHealth health,
    IOptions<WebhookOptions> options,
    ServiceIdentity identity,
    FleetMetrics metrics,
    TimeProvider time,
    ILogger<DeliveryAttempt> logger)
{
    public async Task RunAsync(DeliveryWork work, CancellationToken cancellationToken)
    {
        if (await ClaimAsync(work, cancellationToken) is not { } delivery)
        {
            return;
        }
        var webhook = work.Registration ?? await webhooks.ReadAsync(delivery.TenantId, delivery.WebhookId, cancellationToken);
        if (webhook is null)
        {
            await FinishUnsentAsync(delivery, "the registration was deleted", cancellationToken);
            return;
        }
        if (!webhook.EffectiveActive && delivery.Kind != WebhookDeliveryDocument.PingKind)
        {
            await FinishUnsentAsync(delivery, $"the registration is disabled{(webhook.DisabledReason is { } why ? $" ({why})" : "")}", cancellationToken);
            return;
        }

        var result = await sender.SendAsync(webhook, delivery, cancellationToken);
        var delay = result.Delivered ? null : plan.NextDelay(delivery, result);
        var recorded = await RecordAsync(delivery, result, delay, cancellationToken);
        if (recorded is null)
        {
            logger.LogInformation("Delivery {DeliveryId} was taken over by another replica during the attempt; its outcome is theirs to record", delivery.DeliveryId);
            return;
        }
        metrics.WebhookDelivery(delivery.EventType, result.Delivered ? "delivered" : delay is null ? "failed" : "retry");
        if (delivery.Kind == WebhookDeliveryDocument.EventKind && recorded.Status != WebhookDeliveryDocument.Pending)
        {
            await health.AfterDeliveryAsync(webhook, recorded, result, cancellationToken);
        }
    }

    private async Task<WebhookDeliveryDocument?> ClaimAsync(DeliveryWork work, CancellationToken cancellationToken)
    {
        var (due, now) = (work.Delivery, time.GetUtcNow());
        // Created claimed by this replica: still ours while enough of the claim is left for a whole attempt; else renewed.
        if (work.PreClaimed && IsoTime.Parse(due.NextAttemptAt) - now > options.Value.Delivery.Timeout)
        {
            return due;
        }
        var token = Guid.NewGuid().ToString("N");
        WebhookDeliveryDocument? Claim(WebhookDeliveryDocument d) =>
            d.Status == WebhookDeliveryDocument.Pending && (IsoTime.Parse(d.NextAttemptAt) <= now || (work.PreClaimed && d.ClaimToken == due.ClaimToken))
                ? d with { NextAttemptAt = IsoTime.Format(now + options.Value.Delivery.Claim), ClaimedBy = identity.Instance, ClaimToken = token }
                : null;
        // The copy in hand (fresh from its creation or the due query) usually still holds: one write, no read.
        if (due.ETag is not null && Claim(due) is { } next && await deliveries.TryReplaceAsync(next, cancellationToken) is { } won)
        {
            return won;
        }
        return await deliveries.UpdateAsync(due.TenantId, due.Id, Claim, cancellationToken);
    }

    /// <summary>Under the claim's ETag (one write), else re-read; either way only while the claim is still this attempt's.</summary>
    private async Task<WebhookDeliveryDocument?> RecordAsync(WebhookDeliveryDocument claimed, AttemptResult result, TimeSpan? delay, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var at = IsoTime.Format(now);
        var attempt = new DeliveryAttemptRecord(claimed.Attempts + 1, at, result.StatusCode, (long)result.Latency.TotalMilliseconds, result.Error, result.ResponseBody);
        var status = result.Delivered ? WebhookDeliveryDocument.Succeeded : delay is null ? WebhookDeliveryDocument.Failed : WebhookDeliveryDocument.Pending;
        WebhookDeliveryDocument? Record(WebhookDeliveryDocument d) => d.ClaimToken != claimed.ClaimToken ? null : Finish(d, status, now) with
        {
            Attempts = d.Attempts + 1,
            RoundAttempts = d.RoundAttempts + 1,
            NextAttemptAt = delay is { } wait ? IsoTime.Format(now + wait) : null,
            LastAttemptAt = at,
            LastStatusCode = result.StatusCode,
            LastLatencyMs = attempt.LatencyMs,
            LastError = result.Error,
            LastResponseBody = result.ResponseBody,
            AttemptLog = [.. (d.AttemptLog ?? []).TakeLast(WebhookDeliveryDocument.AttemptLogSize - 1), attempt],
        };
        return await deliveries.TryReplaceAsync(Record(claimed)!, cancellationToken)
            ?? await deliveries.UpdateAsync(claimed.TenantId, claimed.Id, Record, cancellationToken);
    }

    /// <summary>Ends a delivery without sending it (its registration is gone or disabled); it does not count against the endpoint.</summary>
    private async Task FinishUnsentAsync(WebhookDeliveryDocument claimed, string reason, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await deliveries.UpdateAsync(claimed.TenantId, claimed.Id, d => d.ClaimToken != claimed.ClaimToken ? null
            : Finish(d, WebhookDeliveryDocument.Failed, now) with { NextAttemptAt = null, LastError = reason }, cancellationToken);
        metrics.WebhookDelivery(claimed.EventType, "failed");
    }

    private WebhookDeliveryDocument Finish(WebhookDeliveryDocument d, string status, DateTimeOffset now) => d with
    {
        Status = status,
        ClaimedBy = null,
        ClaimToken = null,
        UpdatedAt = IsoTime.Format(now),
        CompletedAt = status == WebhookDeliveryDocument.Pending ? null : IsoTime.Format(now),
        Ttl = status == WebhookDeliveryDocument.Pending ? null : options.Value.Delivery.RetentionSeconds,
    };
}
