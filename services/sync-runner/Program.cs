using IntegrationSync.Shared.Configuration;
using IntegrationSync.Shared.Configuration.Options;
using IntegrationSync.Shared.Contracts.Commands;
using IntegrationSync.Shared.Hosting;
using IntegrationSync.Shared.Messaging;
using IntegrationSync.Shared.Peers;
using IntegrationSync.Shared.Storage;
using IntegrationSync.Shared.Sync;
using IntegrationSync.SyncRunner.Adapters;
using IntegrationSync.SyncRunner.Execution;

namespace IntegrationSync.SyncRunner;

public static class Program
{
    public const string ServiceName = "integration-sync-runner";

    public static Task Main(string[] args) => Build(args).RunAsync();

    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddServiceDefaults(ServiceName, args);
        builder.Services.AddCosmosStorage().AddSyncStore().AddPeerClients();
        builder.Services.AddValidatedOptions<MappingOptions>(MappingOptions.Section);

        builder.Services.AddAdapters();
        builder.Services.AddValidatedOptions<RunnerOptions>(RunnerOptions.Section);
        builder.Services.AddSingleton<IntegrationCursors>();
        builder.Services.AddScoped<SyncRun>();

        builder.AddMessaging()
            .AddConsumer(topology => topology.Runner, consumer => consumer
                .AddSubscription<SyncRequested, SyncRequestedHandler>());

        var app = builder.Build();
        app.MapHealthEndpoints();
        return app;
    }
}
