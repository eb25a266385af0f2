using IntegrationSync.Shared.Configuration;
using IntegrationSync.Shared.Configuration.Options;
using IntegrationSync.Shared.Security;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace IntegrationSync.Shared.Peers;

public static class PeerRegistration
{
    /// <summary>Typed clients for the Castiel peers; retries honour <c>Retry-After</c> and only touch transient failures.</summary>
    public static IServiceCollection AddPeerClients(this IServiceCollection services)
    {
        services.AddValidatedOptions<PeerServicesOptions>(PeerServicesOptions.Section);
        services.AddValidatedOptions<JwtOptions>(JwtOptions.Section);
        services.AddSingleton<ServiceTokenIssuer>();
        services.AddHttpClient<IntegrationManagerClient>((sp, client) =>
            {
                var peer = sp.GetRequiredService<IOptions<PeerServicesOptions>>().Value.IntegrationManager;
                client.BaseAddress = new Uri(peer.Url.TrimEnd('/') + "/");
            })
            .AddStandardResilienceHandler();
        services.AddHttpClient<ShardManagerClient>((sp, client) =>
            {
                var peer = sp.GetRequiredService<IOptions<PeerServicesOptions>>().Value.ShardManager;
                client.BaseAddress = new Uri(peer.Url.TrimEnd('/') + "/");
            })
            .AddStandardResilienceHandler();
        return services;
    }
}
