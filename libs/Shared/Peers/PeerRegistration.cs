using IntegrationSync.Shared.Configuration;
using IntegrationSync.Shared.Configuration.Options;
using IntegrationSync.Shared.Security;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;

namespace IntegrationSync.Shared.Peers;

public static class PeerRegistration
{
    /// <summary>Typed clients for the Castiel peers; retries honour <c>Retry-After</c> and only touch transient failures.</summary>
    public static IServiceCollection AddPeerClients(this IServiceCollection services)
    {
        services.AddPeerClient<IntegrationManagerClient>(peers => peers.IntegrationManager);
        services.AddPeerClient<ShardManagerClient>(peers => peers.ShardManager);
        return services;
    }

    /// <summary>Peer URLs and the service tokens every peer call carries.</summary>
    private static IServiceCollection AddPeerAuthentication(this IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(ServiceTokenIssuer)))
        {
            return services;
        }
        services.AddValidatedOptions<PeerServicesOptions>(PeerServicesOptions.Section);
        services.AddJwtOptions();
        services.AddSingleton<ServiceTokenIssuer>();
        return services;
    }

    /// <summary>
    /// The one way to register a client of a Castiel peer: its base URL and the standard resilience pipeline, each
    /// attempt bounded by the peer's <c>services.&lt;peer&gt;.timeout_seconds</c>. Callers may tune the pipeline further.
    /// </summary>
    public static IHttpStandardResiliencePipelineBuilder AddPeerClient<TClient>(
        this IServiceCollection services, Func<PeerServicesOptions, PeerService> peer) where TClient : class
    {
        services.AddPeerAuthentication();
        return services
            .AddHttpClient<TClient>((sp, client) =>
            {
                client.BaseAddress = BaseUri(sp, peer);
                // The resilience pipeline bounds each call; HttpClient's own 100 s must not cut it short.
                client.Timeout = Timeout.InfiniteTimeSpan;
            })
            .AddStandardResilienceHandler()
            .Configure((resilience, sp) =>
            {
                var attempt = TimeSpan.FromSeconds(peer(Peers(sp)).TimeoutSeconds);
                resilience.AttemptTimeout.Timeout = attempt;
                resilience.TotalRequestTimeout.Timeout = attempt * (resilience.Retry.MaxRetryAttempts + 1) + (resilience.Retry.MaxDelay ?? TimeSpan.FromSeconds(30));
                resilience.CircuitBreaker.SamplingDuration = TimeSpan.FromTicks(
                    Math.Max(resilience.CircuitBreaker.SamplingDuration.Ticks, 2 * attempt.Ticks));
            });
    }

    /// <summary>A peer's base URL from <c>services.&lt;peer&gt;.url</c>, ending in a slash so relative paths append.</summary>
    public static Uri BaseUri(IServiceProvider services, Func<PeerServicesOptions, PeerService> peer) =>
        new(peer(Peers(services)).Url.TrimEnd('/') + "/");

    private static PeerServicesOptions Peers(IServiceProvider services) =>
        services.GetRequiredService<IOptions<PeerServicesOptions>>().Value;
}
