using IntegrationSync.Shared.Configuration;
using IntegrationSync.Shared.Configuration.Options;
using IntegrationSync.Shared.Peers;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;

namespace IntegrationSync.TokenRefresher.Refresh;

public static class RefreshRegistration
{
    /// <summary>
    /// The integration-manager client with the standard resilience handler, tuned from <c>token_refresh</c>: bounded
    /// exponential retries of transient failures only (<c>Retry-After</c> honoured), one attempt per
    /// <c>services.integration_manager.timeout_seconds</c>.
    /// </summary>
    public static IServiceCollection AddConnectionRefresh(this IServiceCollection services)
    {
        services.AddSingleton<ConnectionRefreshLeases>();
        services.AddPeerClient<ConnectionRefreshClient>(peers => peers.IntegrationManager)
            .Configure((resilience, sp) => Tune(resilience,
                sp.GetRequiredService<IOptions<TokenRefreshOptions>>().Value,
                sp.GetRequiredService<IOptions<PeerServicesOptions>>().Value.IntegrationManager));
        return services;
    }

    private static void Tune(HttpStandardResilienceOptions resilience, TokenRefreshOptions refresh, PeerService peer)
    {
        var attempt = TimeSpan.FromSeconds(peer.TimeoutSeconds);
        var maxDelay = TimeSpan.FromMilliseconds(Math.Max(refresh.RetryMaxDelayMs, refresh.RetryBaseDelayMs));
        resilience.Retry.MaxRetryAttempts = refresh.TransientRetries;
        resilience.Retry.Delay = TimeSpan.FromMilliseconds(refresh.RetryBaseDelayMs);
        resilience.Retry.MaxDelay = maxDelay;
        resilience.AttemptTimeout.Timeout = attempt;
        // Every attempt and every delay fit in the total; the breaker samples at least two attempts, as its validator requires.
        resilience.TotalRequestTimeout.Timeout = (attempt + maxDelay) * (refresh.TransientRetries + 1);
        resilience.CircuitBreaker.SamplingDuration = TimeSpan.FromTicks(Math.Max(resilience.CircuitBreaker.SamplingDuration.Ticks, 2 * attempt.Ticks));
    }
}
