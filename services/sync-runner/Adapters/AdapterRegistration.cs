using IntegrationSync.SyncRunner.Adapters.Sample;

namespace IntegrationSync.SyncRunner.Adapters;

public static class AdapterRegistration
{
    /// <summary>Every built-in adapter and the registry the runner resolves them from by provider name.</summary>
    public static IServiceCollection AddAdapters(this IServiceCollection services)
    {
        services.AddSingleton<ISyncAdapter, SampleAdapter>();
        services.AddSingleton<AdapterRegistry>();
        return services;
    }
}
