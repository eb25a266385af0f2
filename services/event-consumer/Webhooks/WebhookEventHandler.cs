using IntegrationSync.Shared.Messaging;

namespace IntegrationSync.EventConsumer.Webhooks;

/// <summary>Any lifecycle event a registration can subscribe to: fanned out to the tenant's registrations.</summary>
public sealed class WebhookEventHandler<TEvent>(WebhookFanOut fanOut) : IEventHandler<TEvent>
{
    public Task HandleAsync(EventContext<TEvent> context, CancellationToken cancellationToken) =>
        fanOut.FanOutAsync(context.Envelope, cancellationToken);
}
