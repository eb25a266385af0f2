using IntegrationSync.EventConsumer.Completion;
using IntegrationSync.Shared.Configuration;
using IntegrationSync.Shared.Configuration.Options;
using IntegrationSync.Shared.Leases;

namespace IntegrationSync.EventConsumer.Statistics;

public static class StatisticsRegistration
{
    /// <summary>Exact counting of mapping results (coalesced, deduplicated) and the completion checks that follow each count.</summary>
    public static IServiceCollection AddStatistics(this IServiceCollection services)
    {
        services.AddValidatedOptions<StatisticsOptions>(StatisticsOptions.Section);
        services.AddSingleton<ExecutionTallyRepository>();
        services.AddSingleton<ExecutionResolver>();
        services.AddSingleton(sp => new CompletionChecks(
            (tenant, execution) => sp.GetRequiredService<CompletionLifecycle>().TryCompleteAsync(tenant, execution, CancellationToken.None),
            sp.GetRequiredService<ILogger<CompletionChecks>>()));
        // Registered before the consumer, so it stops after the consumer has drained its handlers.
        services.AddSingleton<ResultBatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<ResultBatcher>());
        return services;
    }

    /// <summary>The processing → final transitions and the sweep that closes what a lost message or a crash left open.</summary>
    public static IServiceCollection AddCompletion(this IServiceCollection services)
    {
        services.AddValidatedOptions<MappingOptions>(MappingOptions.Section);
        services.AddSingleton<CompletionLifecycle>();
        services.AddSingleton<FleetTimer>();
        services.AddHostedService<CompletionSweeper>();
        return services;
    }
}
