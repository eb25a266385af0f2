using System.Net;
using IntegrationSync.Shared.Hosting;
using IntegrationSync.Shared.Security.Outbound;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace IntegrationSync.SyncRunner.Adapters.Http;

public static class AdapterHttpClients
{
    /// <summary>
    /// A named client whose pipeline retries only what is known to be transient (5xx, 408, 429, timeouts,
    /// connection failures), waits out <c>Retry-After</c> up to a bound, and never retries a create on 5xx.
    /// 401 and other 4xx come back at once for the adapter to classify. Cookies and redirects are off; a client that
    /// calls a tenant's target (<paramref name="tenantTarget"/>) connects only where the outbound guard allows.
    /// </summary>
    /// <param name="final">A vendor's answer that no retry can change for now (HubSpot's daily limit): returned at once.</param>
    /// <param name="tenantTarget">False only for a peer whose URL the operator configures (integration-manager).</param>
    public static IHttpClientBuilder AddAdapterHttpClient(this IServiceCollection services, string name,
        Func<HttpResponseMessage, CancellationToken, ValueTask<bool>>? final = null, bool tenantTarget = true)
    {
        var builder = services.AddHttpClient(name, client => client.Timeout = Timeout.InfiniteTimeSpan);
        if (tenantTarget)
        {
            builder.AddOutboundGuard();
        }
        else
        {
            builder.ConfigurePrimaryHttpMessageHandler(() => OutboundHttpClients.Isolated());
        }
        builder.AddResilienceHandler(name, (pipeline, context) =>
        {
            var options = context.ServiceProvider.GetRequiredService<IOptions<AdapterHttpOptions>>().Value;
            var time = context.ServiceProvider.GetRequiredService<TimeProvider>();
            var maxRetryAfter = TimeSpan.FromSeconds(options.MaxRetryAfterSeconds);
            pipeline.AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = Math.Max(1, options.MaxRetries),
                Delay = TimeSpan.FromMilliseconds(options.RetryDelayMs),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldRetryAfterHeader = true,
                ShouldHandle = async args => options.MaxRetries > 0 && ShouldRetry(args.Outcome, args.Context, maxRetryAfter, time)
                    && !(final is not null && args.Outcome.Result is { } response
                        && await BoundedBody.TryBufferAsync(response, options.MaxResponseBytes, args.Context.CancellationToken)
                        && await final(response, args.Context.CancellationToken)),
            });
            pipeline.AddTimeout(TimeSpan.FromSeconds(options.AttemptTimeoutSeconds));
        });
        // Client names are "adapter-<adapter>"; the metric label is the adapter's own name.
        builder.AddHttpMessageHandler(sp => new AdapterMetricsHandler(name.Replace("adapter-", "", StringComparison.Ordinal), sp.GetRequiredService<FleetMetrics>()));
        return builder;
    }

    private static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, ResilienceContext context, TimeSpan maxRetryAfter, TimeProvider time)
    {
        if (OutboundRefusedException.Find(outcome.Exception) is not null || !HttpClientResiliencePredicates.IsTransient(outcome))
        {
            return false;
        }
        if (outcome.Result is { } response)
        {
            if (AdapterHttp.RetryAfter(response, time) > maxRetryAfter)
            {
                return false;
            }
            // A create that hit a 5xx may have been applied; only a 429 is known to have been refused unprocessed.
            if (context.GetRequestMessage()?.Options.TryGetValue(AdapterHttp.NotIdempotent, out var unsafeWrite) == true && unsafeWrite)
            {
                return response.StatusCode == HttpStatusCode.TooManyRequests;
            }
        }
        return true;
    }
}
