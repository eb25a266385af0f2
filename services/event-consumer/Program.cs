using IntegrationSync.EventConsumer.Statistics;
using IntegrationSync.Shared.Contracts.Events;
using IntegrationSync.Shared.Hosting;
using IntegrationSync.Shared.Messaging;
using IntegrationSync.Shared.Storage;
using IntegrationSync.Shared.Sync;

namespace IntegrationSync.EventConsumer;

public static class Program
{
    public const string ServiceName = "integration-sync-event-consumer";

    public static Task Main(string[] args) => Build(args).RunAsync();

    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddServiceDefaults(ServiceName, args);
        builder.Services.AddCosmosStorage().AddSyncStore();
        builder.Services.AddScoped<MappingResultRecorder>();

        builder.AddMessaging()
            .AddConsumer(topology => topology.EventConsumer, consumer => consumer
                .AddSubscription<DataMapped, DataMappedHandler>()
                .AddSubscription<DataMappingFailed, DataMappingFailedHandler>());

        var app = builder.Build();
        app.MapHealthEndpoints();
        return app;
    }
}
