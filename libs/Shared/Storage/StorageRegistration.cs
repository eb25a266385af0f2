using IntegrationSync.Shared.Configuration;
using IntegrationSync.Shared.Configuration.Options;
using IntegrationSync.Shared.Messaging;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace IntegrationSync.Shared.Storage;

public static class StorageRegistration
{
    public static IServiceCollection AddCosmosStorage(this IServiceCollection services)
    {
        services.AddValidatedOptions<CosmosDbOptions>(CosmosDbOptions.Section);
        services.AddSingleton(sp => CosmosClientFactory.Create(
            sp.GetRequiredService<IOptions<CosmosDbOptions>>().Value, sp.GetRequiredService<ServiceIdentity>().Service));
        services.AddSingleton<CosmosContainers>();
        services.AddSingleton<CosmosRetry>();
        services.AddHostedService<CosmosBootstrap>();
        services.AddHealthChecks().AddCheck<CosmosHealthCheck>("cosmos", tags: [HealthTags.Ready]);
        return services;
    }
}
