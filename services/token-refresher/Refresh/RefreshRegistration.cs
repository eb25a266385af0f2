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
            .Configure((resilience, sp) => Tune(resilience, sp.GetRequiredService<IOptions<TokenRefreshOptions>>().Value));
        return services;
    }

    /// <summary>On top of <see cref="PeerRegistration.AddPeerClient{TClient}"/>, which already set the attempt timeout and the breaker's window.</summary>
    private static void Tune(HttpStandardResilienceOptions resilience, TokenRefreshOptions refresh)
    {
        var attempt = resilience.AttemptTimeout.Timeout;
        var maxDelay = TimeSpan.FromMilliseconds(Math.Max(refresh.RetryMaxDelayMs, refresh.RetryBaseDelayMs));
        resilience.Retry.MaxRetryAttempts = refresh.TransientRetries;
        resilience.Retry.Delay = TimeSpan.FromMilliseconds(refresh.RetryBaseDelayMs);
        resilience.Retry.MaxDelay = maxDelay;
        // Every attempt and every delay fit in the total.
        resilience.TotalRequestTimeout.Timeout = (attempt + maxDelay) * (refresh.TransientRetries + 1);
    }
}
