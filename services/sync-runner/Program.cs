using IntegrationSync.Shared.Contracts.Commands;
using IntegrationSync.Shared.Contracts.Events;
using IntegrationSync.Shared.Hosting;
using IntegrationSync.Shared.Messaging;
using IntegrationSync.Shared.Peers;
using IntegrationSync.Shared.Storage;
using IntegrationSync.Shared.Sync;
using IntegrationSync.SyncRunner.Adapters;
using IntegrationSync.SyncRunner.Deletions;
using IntegrationSync.SyncRunner.Execution;
using IntegrationSync.SyncRunner.Intake;
using IntegrationSync.SyncRunner.Lifecycle;
using IntegrationSync.SyncRunner.Outbound;
using IntegrationSync.SyncRunner.Slots;

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
        builder.Services.AddAdapters().AddSlots().AddRuns().AddIntake().AddOutbound().AddDeletions().AddIntegrationLifecycle();
        builder.AddMessaging()
            .AddConsumer(topology => topology.Runner, consumer => consumer
                .AddSubscription<SyncRequested, SyncRequestedHandler>()
                .AddSubscription<SyncCancelRequested, SyncCancelRequestedHandler>()
                .AddSubscription<SyncScheduled, SyncScheduledHandler>()
                .AddSubscription<WebhookReceived, WebhookReceivedHandler>()
                .AddSubscription<SyncCompleted, SlotRelease>()
                .AddSubscription<SyncFailed, SlotRelease>()
                .AddSubscription<SyncCancelled, SlotRelease>()
                .AddSubscription<SyncOutbound, SyncOutboundHandler>()
                .AddSubscription<ConflictResolve, ConflictResolveHandler>()
                .AddSubscription<DeletionsDecided, DeletionsDecidedHandler>()
                .AddSubscription<IntegrationDeleted, IntegrationDeletedHandler>()
                .AddSubscription<IntegrationUpdated, IntegrationUpdatedHandler>());

        var app = builder.Build();
        app.MapHealthEndpoints();
        return app;
    }
}
