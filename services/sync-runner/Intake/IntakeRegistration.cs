using IntegrationSync.Shared.Configuration;
using IntegrationSync.Shared.Configuration.Options;
using IntegrationSync.SyncRunner.Scheduling;

namespace IntegrationSync.SyncRunner.Intake;

public static class IntakeRegistration
{
    /// <summary>Where work comes from besides the API: scheduled and webhook triggers, and the fleet's due-check timer.</summary>
    public static IServiceCollection AddIntake(this IServiceCollection services)
    {
        services.AddValidatedOptions<SyncSchedulerOptions>(SyncSchedulerOptions.Section);
        services.AddSingleton<DeferredTriggers>();
        services.AddSingleton<TaskIntake>();
        services.AddHostedService<CheckDueTimer>();
        services.AddHostedService<DeferredTriggerTimer>();
        return services;
    }
}
