using IntegrationSync.Shared.Configuration;
using IntegrationSync.Shared.Configuration.Options;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IntegrationSync.Shared.Messaging;

public static class MessagingRegistration
{
    /// <summary>Connection, fleet topology (declared at start-up), confirmed publisher and broker health check.</summary>
    public static MessagingBuilder AddMessaging(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddValidatedOptions<RabbitMqOptions>(RabbitMqOptions.Section);
        services.AddSingleton(sp => new FleetTopology(sp.GetRequiredService<IOptions<RabbitMqOptions>>().Value));
        services.AddSingleton<RabbitMqConnection>();
        services.AddSingleton<TopologyDeclarer>();
        services.AddSingleton<RabbitMqEventPublisher>();
        services.AddSingleton<IEventPublisher>(sp => sp.GetRequiredService<RabbitMqEventPublisher>());
        services.AddSingleton<ActiveConsumers>();
        services.AddHostedService<TopologyStartup>();
        services.AddHealthChecks().AddCheck<RabbitMqHealthCheck>("rabbitmq", tags: [HealthTags.Ready]);
        return new MessagingBuilder(services);
    }
}

public sealed class MessagingBuilder(IServiceCollection services)
{
    /// <summary>Consumes the queue chosen from the fleet topology with the subscriptions configured.</summary>
    public MessagingBuilder AddConsumer(Func<FleetTopology, QueueDefinition> queue, Action<ConsumerBuilder> configure)
    {
        if (!services.Any(d => d.ServiceType == typeof(ConsumersHealthCheck)))
        {
            services.AddSingleton<ConsumersHealthCheck>();
            services.AddHealthChecks().AddCheck<ConsumersHealthCheck>("consumers", tags: [HealthTags.Ready]);
            services.AddHostedService<QueueObserver>();
        }
        var registration = new ConsumerRegistration(queue);
        configure(new ConsumerBuilder(services, registration));
        services.AddSingleton<Microsoft.Extensions.Hosting.IHostedService>(sp => ActivatorUtilities.CreateInstance<QueueConsumer>(
            sp, registration, sp.GetRequiredService<IOptions<RabbitMqOptions>>().Value, sp));
        return this;
    }
}

internal sealed class TopologyStartup(TopologyDeclarer declarer, ILogger<TopologyStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await declarer.DeclareAsync(cancellationToken);
        logger.LogInformation("RabbitMQ topology declared");
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
