using IntegrationSync.Shared.Webhooks;

namespace IntegrationSync.EventConsumer.Webhooks;

/// <summary>
/// A delivery handed to the dispatcher. From the fan-out it comes already claimed by this replica (<paramref name="PreClaimed"/>)
/// with the registration just read; from a poll it is only known to be due, and the attempt claims it and reads the registration.
/// </summary>
public sealed record DeliveryWork(WebhookDeliveryDocument Delivery, WebhookDocument? Registration = null, bool PreClaimed = false);
