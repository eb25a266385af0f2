using IntegrationSync.EventConsumer.ShardChanges;
using IntegrationSync.EventConsumer.Statistics;
using IntegrationSync.Shared.Bidirectional;
using IntegrationSync.Shared.Configuration;
using IntegrationSync.Shared.Configuration.Options;
using IntegrationSync.Shared.Contracts.Events;
using IntegrationSync.Shared.Hosting;
using IntegrationSync.Shared.Leases;
using IntegrationSync.Shared.Messaging;
using IntegrationSync.Shared.Peers;
using IntegrationSync.Shared.Storage;
using IntegrationSync.Shared.Sync;
using Microsoft.Extensions.Options;

namespace IntegrationSync.EventConsumer;

public static class Program
{
    public const string ServiceName = "integration-sync-event-consumer";

    public static Task Main(string[] args) => Build(args).RunAsync();

    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddServiceDefaults(ServiceName, args);
        builder.Services.AddCosmosStorage().AddSyncStore().AddPeerClients();
        builder.Services.AddSingleton<ShardChangeRepository>();
        builder.Services.AddValidatedOptions<StatisticsOptions>(StatisticsOptions.Section);
        builder.Services.AddValidatedOptions<MappingOptions>(MappingOptions.Section);
        builder.Services.AddSingleton<FleetTimer>();

        // Registered before the consumer, so it stops after the consumer has drained its handlers.
        builder.Services.AddSingleton<ExecutionResolver>();
        builder.Services.AddSingleton(sp => new CompletionChecks(
            (tenant, execution) => sp.GetRequiredService<ExecutionCompletion>().TryCompleteAsync(tenant, execution, CancellationToken.None),
            sp.GetRequiredService<ILogger<CompletionChecks>>()));
        builder.Services.AddSingleton<ResultBatcher>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ResultBatcher>());
        builder.Services.AddHostedService<CompletionSweeper>();

        builder.AddMessaging()
            .AddConsumer(topology => topology.EventConsumer, consumer => consumer
                .WithLimits(sp => sp.GetRequiredService<IOptions<StatisticsOptions>>().Value.ConsumerLimits)
                .AddSubscription<DataMapped, DataMappedHandler>()
                .AddSubscription<DataMappingFailed, DataMappingFailedHandler>()
                .AddSubscription<ShardUpdated, ShardUpdatedHandler>());

        var app = builder.Build();
        app.MapHealthEndpoints();
        return app;
    }
}
