using IntegrationSync.CastielPeers.Admin;
using IntegrationSync.CastielPeers.Mapper;
using IntegrationSync.CastielPeers.Shards;
using IntegrationSync.CastielPeers.Stubs;
using IntegrationSync.Shared.Configuration;
using IntegrationSync.Shared.Configuration.Options;
using IntegrationSync.Shared.Contracts;
using IntegrationSync.Shared.Contracts.Events;
using IntegrationSync.Shared.Hosting;
using IntegrationSync.Shared.Messaging;
using IntegrationSync.Shared.Security;
using Microsoft.Extensions.Options;

namespace IntegrationSync.CastielPeers;

/// <summary>
/// Local stand-ins for the Castiel services the fleet talks to but does not own: HTTP routes of
/// integration-manager, secret-management and shard-manager, and a mapper answering raw records.
/// For dev-up and fleet tests only; no service references this project.
/// </summary>
public static class Program
{
    public const string ServiceName = "castiel-peers";

    public static Task Main(string[] args) => Build(args).RunAsync();

    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddServiceDefaults(ServiceName, args);
        builder.Services.AddJwtOptions();
        builder.Services.AddValidatedOptions<MapperOptions>(MapperOptions.Section);
        builder.Services.AddSingleton(PeerStore.Load(builder.Configuration["peers:seed_file"] ?? Path.Combine(AppContext.BaseDirectory, "seed.json")));
        builder.Services.AddSingleton<StandInMapper>();
        builder.Services.AddSingleton<ShardBook>();

        var messaging = builder.AddMessaging();
        if (builder.Configuration.GetValue("peers:mapper:enabled", true))
        {
            messaging.AddConsumer(
                _ => new QueueDefinition(builder.Configuration["peers:mapper:queue"] ?? "castiel_peers.mapper",
                [
                    EventNames.DataRaw, EventNames.DataRawBatch, EventNames.DocumentDetected, EventNames.EmailReceived, EventNames.MessageReceived,
                    EventNames.MeetingCompleted, EventNames.CalendarEventCreated,
                ]),
                consumer => consumer
                    .AddSubscription<DataRaw, DataRawHandler>()
                    .AddSubscription<DataRawBatch, DataRawBatchHandler>()
                    .AddSubscription<DocumentDetected, ProcessorSink<DocumentDetected>>()
                    .AddSubscription<EmailReceived, ProcessorSink<EmailReceived>>()
                    .AddSubscription<MessageReceived, ProcessorSink<MessageReceived>>()
                    .AddSubscription<MeetingCompleted, ProcessorSink<MeetingCompleted>>()
                    .AddSubscription<CalendarEventCreated, ProcessorSink<CalendarEventCreated>>());
        }

        var app = builder.Build();
        app.MapHealthEndpoints();
        app.MapPeerRoutes();
        app.MapSecretAdminRoutes();
        return app;
    }
}
