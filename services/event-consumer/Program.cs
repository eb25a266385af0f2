using IntegrationSync.EventConsumer.Completion;
using IntegrationSync.EventConsumer.ShardChanges;
using IntegrationSync.EventConsumer.Statistics;
using IntegrationSync.EventConsumer.Webhooks;
using IntegrationSync.Shared.Contracts.Commands;
using IntegrationSync.Shared.Contracts.Events;
using IntegrationSync.Shared.Hosting;
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
        builder.Services.AddStatistics().AddCompletion().AddShardChanges().AddWebhookDelivery();
        builder.AddMessaging()
            .AddConsumer(topology => topology.EventConsumer, consumer => consumer
                .WithLimits(sp => sp.GetRequiredService<IOptions<StatisticsOptions>>().Value.ConsumerLimits)
                .AddSubscription<DataMapped, DataMappedHandler>()
                .AddSubscription<DataMappingFailed, DataMappingFailedHandler>()
                .AddSubscription<SyncProcessing, SyncProcessingHandler>()
                .AddSubscription<SyncCancelRequested, SyncCancelRequestedHandler>()
                .AddSubscription<ShardCreated, ShardChangedHandler<ShardCreated>>()
                .AddSubscription<ShardUpdated, ShardChangedHandler<ShardUpdated>>()
                .AddSubscription<ShardDeleted, ShardChangedHandler<ShardDeleted>>())
            .AddConsumer(topology => topology.Webhooks, consumer => consumer.AddWebhookSubscriptions());

        var app = builder.Build();
        app.MapHealthEndpoints();
        return app;
    }
}
