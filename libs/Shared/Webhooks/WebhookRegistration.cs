using IntegrationSync.Shared.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace IntegrationSync.Shared.Webhooks;

public static class WebhookRegistration
{
    public static IServiceCollection AddWebhookStore(this IServiceCollection services)
    {
        services.AddValidatedOptions<WebhookOptions>(WebhookOptions.Section);
        services.TryAddSingleton<WebhookRepository>();
        return services;
    }
}
