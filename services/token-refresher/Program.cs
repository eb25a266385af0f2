using IntegrationSync.Shared.Configuration;
using IntegrationSync.Shared.Configuration.Options;
using IntegrationSync.Shared.Hosting;
using IntegrationSync.Shared.Leases;
using IntegrationSync.Shared.Messaging;
using IntegrationSync.Shared.Storage;
using IntegrationSync.TokenRefresher.Expiry;

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
        builder.Services.AddSingleton<FleetTimer>();
        builder.AddMessaging();
        builder.Services.AddHostedService<CheckExpiringTimer>();

        var app = builder.Build();
        app.MapHealthEndpoints();
        return app;
    }
}
