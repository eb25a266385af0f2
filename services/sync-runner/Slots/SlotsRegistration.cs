namespace IntegrationSync.SyncRunner.Slots;

public static class SlotsRegistration
{
    /// <summary>The tenants' concurrency slots and the work waiting for them.</summary>
    public static IServiceCollection AddSlots(this IServiceCollection services)
    {
        services.AddSingleton<TenantSlots>();
        services.AddSingleton<WaitingWork>();
        return services;
    }
}
