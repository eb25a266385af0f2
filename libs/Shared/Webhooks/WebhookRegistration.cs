using IntegrationSync.Shared.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace IntegrationSync.Shared.Webhooks;

public static class WebhookRegistration
{
    /// <summary><c>webhooks</c> options, registrations and their delivery log.</summary>
    public static IServiceCollection AddWebhookStore(this IServiceCollection services)
    {
        services.AddValidatedOptions<WebhookOptions>(WebhookOptions.Section);
        services.TryAddSingleton<WebhookRepository>();
        services.TryAddSingleton<WebhookDeliveryRepository>();
        return services;
    }
}
