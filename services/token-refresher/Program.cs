using IntegrationSync.Shared.Configuration;
using IntegrationSync.Shared.Configuration.Options;
using IntegrationSync.Shared.Contracts.Events;
using IntegrationSync.Shared.Hosting;
using IntegrationSync.Shared.Leases;
using IntegrationSync.Shared.Messaging;
using IntegrationSync.Shared.Storage;
using IntegrationSync.TokenRefresher.Expiry;
using IntegrationSync.TokenRefresher.Refresh;

namespace IntegrationSync.TokenRefresher;

public static class Program
{
    public const string ServiceName = "integration-sync-token-refresher";

    public static Task Main(string[] args) => Build(args).RunAsync();

    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddServiceDefaults(ServiceName, args);
        builder.Services.AddCosmosStorage();
        builder.Services.AddValidatedOptions<TokenRefreshOptions>(TokenRefreshOptions.Section);
        builder.Services.AddValidatedOptions<CompatibilityOptions>(CompatibilityOptions.Section);

        builder.Services.AddConnectionRefresh();
        builder.AddMessaging()
            .AddConsumer(topology => topology.TokenRefresher, consumer => consumer
                .AddSubscription<TokenRefreshRequested, TokenRefreshRequestedHandler>());

        builder.Services.AddSingleton<FleetTimer>();
        builder.Services.AddHostedService<CheckExpiringTimer>();

        var app = builder.Build();
        app.MapHealthEndpoints();
        return app;
    }
}
