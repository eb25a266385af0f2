using IntegrationSync.Shared.Configuration;
using IntegrationSync.Shared.Configuration.Options;
using IntegrationSync.Shared.Peers;
using IntegrationSync.Shared.Security.Outbound;
using IntegrationSync.SyncRunner.Adapters.Dynamics365;
using IntegrationSync.SyncRunner.Adapters.Http;
using IntegrationSync.SyncRunner.Adapters.HubSpot;
using IntegrationSync.SyncRunner.Adapters.IntegrationManager;
using IntegrationSync.SyncRunner.Adapters.Rest;
using IntegrationSync.SyncRunner.Adapters.Salesforce;
using IntegrationSync.SyncRunner.Adapters.Sample;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace IntegrationSync.SyncRunner.Adapters;

public static class AdapterRegistration
{
    /// <summary>Every built-in adapter, their HTTP clients, the registry the runner resolves them from by provider name, and the connection resolver.</summary>
    public static IServiceCollection AddAdapters(this IServiceCollection services)
    {
        services.AddValidatedOptions<AdapterHttpOptions>(AdapterHttpOptions.Section);
        services.AddOutboundPolicy();
        services.TryAddSingleton(TimeProvider.System);

        services.AddSingleton<ISyncAdapter, SampleAdapter>();
        services.AddSingleton<ISyncAdapter, IntegrationManagerAdapter>();
        services.AddSingleton<ISyncAdapter, SalesforceAdapter>();
        services.AddSingleton<ISyncAdapter, HubSpotAdapter>();
        services.AddSingleton<ISyncAdapter, Dynamics365Adapter>();
        services.AddSingleton<ISyncAdapter, RestAdapter>();
        services.AddSingleton<HubSpotRateGate>();
        services.AddSingleton<SalesforceSchema>();
        services.AddSingleton<AdapterRegistry>();
        services.AddSingleton<AdapterHttpFactory>();

        services.AddAdapterHttpClient(IntegrationManagerAdapter.ClientName, tenantTarget: false)
            .ConfigureHttpClient((sp, client) => client.BaseAddress = PeerRegistration.BaseUri(sp, p => p.IntegrationManager));
        services.AddAdapterHttpClient(SalesforceAdapter.ClientName);
        services.AddAdapterHttpClient(HubSpotAdapter.ClientName, HubSpotDailyLimit.IsSpentAsync);
        services.AddAdapterHttpClient(Dynamics365Adapter.ClientName);
        services.AddAdapterHttpClient(RestAdapter.ClientName);

        services.AddPeerClient<SecretManagementClient>(peers => peers.SecretManagement);
        services.AddTransient<AdapterConnectionResolver>();
        return services;
    }
}
