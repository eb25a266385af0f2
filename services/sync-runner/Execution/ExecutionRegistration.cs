using IntegrationSync.Shared.Configuration;
using IntegrationSync.Shared.Configuration.Options;
using IntegrationSync.Shared.Leases;
using IntegrationSync.SyncRunner.Publishing;
using IntegrationSync.SyncRunner.Reaper;
using Microsoft.Extensions.Options;

namespace IntegrationSync.SyncRunner.Execution;

public static class ExecutionRegistration
{
    /// <summary>Runs and their lifecycle: options, detached runs, leases, checkpoints, cursors, and the reaper that closes crash windows.</summary>
    public static IServiceCollection AddRuns(this IServiceCollection services)
    {
        services.AddValidatedOptions<MappingOptions>(MappingOptions.Section);
        services.AddValidatedOptions<CompatibilityOptions>(CompatibilityOptions.Section);
        services.AddValidatedOptions<RunnerOptions>(RunnerOptions.Section);
        services.AddValidatedOptions<TokenRefreshOptions>(TokenRefreshOptions.Section);
        services.AddSingleton<RunLifecycle>();
        services.AddSingleton<RunHandover>();
        services.AddSingleton<RunLeases>();
        services.AddSingleton<IntegrationCursors>();
        services.AddSingleton<PublishedKeySegments>();
        services.AddSingleton<TokenRefreshOutcomes>();
        services.AddSingleton<FleetTimer>();
        services.AddScoped<CredentialRefresh>();
        services.AddScoped<RunSource>();
        services.AddScoped<RecordPump>();
        services.AddScoped<SyncRun>();
        // Registered before the consumer: hosted services stop in reverse order, so the consumer stops taking work first.
        services.AddSingleton<ActiveRuns>();
        services.AddHostedService(sp => sp.GetRequiredService<ActiveRuns>());
        services.AddOptions<HostOptions>().Configure<IOptions<RunnerOptions>, IOptions<RabbitMqOptions>>((host, runner, rabbit) =>
            host.ShutdownTimeout = TimeSpan.FromSeconds(rabbit.Value.ShutdownDrainSeconds + runner.Value.ShutdownGraceSeconds + 5));
        services.AddHostedService<ExecutionReaper>();
        return services;
    }
}
