using Carter;
using IntegrationSync.Shared.Hosting;
using IntegrationSync.Shared.Messaging;
using IntegrationSync.Shared.Security.Outbound;
using IntegrationSync.Shared.Storage;
using IntegrationSync.Shared.Sync;
using IntegrationSync.Shared.Webhooks;
using IntegrationSync.SyncApi.Executions;
using IntegrationSync.SyncApi.Auth;
using IntegrationSync.SyncApi.Conflicts;
using IntegrationSync.SyncApi.Docs;
using IntegrationSync.SyncApi.Errors;
using IntegrationSync.SyncApi.Health;
using IntegrationSync.SyncApi.Inbound;
using IntegrationSync.SyncApi.Paging;
using IntegrationSync.SyncApi.Tasks;

namespace IntegrationSync.SyncApi;

public static class Program
{
    public const string ServiceName = "integration-sync-api";

    public static Task Main(string[] args) => Build(args).RunAsync();

    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddServiceDefaults(ServiceName, args);
        builder.Services.AddCosmosStorage().AddSyncStore().AddConflicts().AddWebhookStore();
        builder.AddMessaging();
        builder.Services.AddTenantAuthentication().AddContinuationTokens().AddOutboundPolicy();
        builder.Services.AddApiErrors().AddRequestDeadline().AddTriggerChecks().AddDeletionDecisions().AddInboundWebhooks();
        builder.Services.AddApiDocs();
        builder.Services.AddCarter();

        var app = builder.Build();
        app.UseApiErrors();
        app.UseRequestTimeouts();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapHealthEndpoints();
        app.MapLegacyHealthEndpoints();
        app.MapApiDocs();
        app.MapCarter();
        return app;
    }
}
