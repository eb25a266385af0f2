using IntegrationSync.Shared.Configuration;
using IntegrationSync.Shared.Configuration.Options;
using IntegrationSync.Shared.Leases;
using IntegrationSync.SyncRunner.Intake;
using IntegrationSync.SyncRunner.Reaper;
using IntegrationSync.SyncRunner.Scheduling;

namespace IntegrationSync.SyncRunner.Execution;

public static class ExecutionRegistration
{
    /// <summary>Runs and their bookkeeping: options, checkpoints, cursors, the reaper that resumes orphaned runs.</summary>
    public static IServiceCollection AddSyncExecution(this IServiceCollection services)
    {
        services.AddValidatedOptions<MappingOptions>(MappingOptions.Section);
        services.AddValidatedOptions<RunnerOptions>(RunnerOptions.Section);
        services.AddValidatedOptions<TokenRefreshOptions>(TokenRefreshOptions.Section);
        services.AddSingleton<IntegrationCursors>();
        services.AddSingleton<ExecutionFinisher>();
        services.AddSingleton<TokenRefreshOutcomes>();
        services.AddScoped<CredentialRefresh>();
        services.AddScoped<SyncRun>();
        services.AddSingleton<FleetTimer>();
        services.AddHostedService<ExecutionReaper>();
        return services;
    }

    /// <summary>Where work comes from besides the API: scheduled and webhook triggers, and the fleet's due-check timer.</summary>
    public static IServiceCollection AddSyncIntake(this IServiceCollection services)
    {
        services.AddValidatedOptions<SyncSchedulerOptions>(SyncSchedulerOptions.Section);
        services.AddSingleton<DeferredTriggers>();
        services.AddSingleton<TaskIntake>();
        services.AddHostedService<CheckDueTimer>();
        services.AddHostedService<DeferredTriggerTimer>();
        return services;
    }
}
