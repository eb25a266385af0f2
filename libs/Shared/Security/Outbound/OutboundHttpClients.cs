using IntegrationSync.Shared.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace IntegrationSync.Shared.Security.Outbound;

public static class OutboundHttpClients
{
    /// <summary>The guard's allow-list (<c>outbound.*</c>, validated at start-up) and its policy.</summary>
    public static IServiceCollection AddOutboundPolicy(this IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(OutboundPolicy)))
        {
            return services;
        }
        services.AddValidatedOptions<OutboundOptions>(OutboundOptions.Section);
        services.TryAddSingleton<OutboundPolicy>();
        return services;
    }

    /// <summary>
    /// A client for calls made on a tenant's behalf (adapters, webhook delivery): connections only to addresses the
    /// <see cref="OutboundPolicy"/> allows, checked at connect time, plus <see cref="Isolated"/>'s settings.
    /// </summary>
    public static IHttpClientBuilder AddOutboundGuard(this IHttpClientBuilder builder)
    {
        builder.Services.AddOutboundPolicy();
        return builder.ConfigurePrimaryHttpMessageHandler(sp => Isolated(sp.GetRequiredService<OutboundPolicy>()));
    }

    /// <summary>
    /// No cookies (a cookie container would be shared by every tenant using the client), no redirects (a redirect to
    /// another host would carry the request's credential there). With a policy, every connection goes through
    /// <see cref="GuardedConnection"/> and no proxy from the environment is used (the guard must see the target, not a proxy).
    /// </summary>
    public static SocketsHttpHandler Isolated(OutboundPolicy? policy = null) => new()
    {
        UseCookies = false,
        AllowAutoRedirect = false,
        UseProxy = policy is null,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        ConnectCallback = policy is null ? null : GuardedConnection.Callback(policy),
    };
}
