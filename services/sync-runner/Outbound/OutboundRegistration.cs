using IntegrationSync.Shared.Conflicts;
using IntegrationSync.Shared.SyncState;

namespace IntegrationSync.SyncRunner.Outbound;

public static class OutboundRegistration
{
    /// <summary>Bidirectional sync in the runner: pushes of Castiel changes, their lanes and sweep, conflicts and their resolution, and the inbound side's sync state.</summary>
    public static IServiceCollection AddOutbound(this IServiceCollection services)
    {
        services.AddSyncState().AddConflictStore();
        services.AddSingleton<RecordStates>();
        services.AddSingleton<RecordLocks>();
        services.AddSingleton<ConflictRecorder>();
        services.AddSingleton<RecordSides>();
        services.AddScoped<OutboundTargets>();
        services.AddScoped<RecordCreation>();
        services.AddScoped<PushApplier>();
        services.AddScoped<OutboundPush>();
        services.AddScoped<OutboundRun>();
        services.AddScoped<ConflictResolution>();
        services.AddSingleton<InboundStates>();
        services.AddSingleton<OutboundLanes>();
        services.AddHostedService(sp => sp.GetRequiredService<OutboundLanes>());
        services.AddHostedService<OutboundSweep>();
        return services;
    }
}
