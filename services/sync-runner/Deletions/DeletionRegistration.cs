using IntegrationSync.Shared.Configuration;

namespace IntegrationSync.SyncRunner.Deletions;

public static class DeletionRegistration
{
    /// <summary>Vendor deletions taken to Castiel: marked per page, applied at the end of the pull unless the mass-delete guard holds them.</summary>
    public static IServiceCollection AddDeletions(this IServiceCollection services)
    {
        services.AddValidatedOptions<DeletionOptions>(DeletionOptions.Section);
        services.AddScoped<LinkBackfill>();
        services.AddScoped<InboundDeletions>();
        services.AddScoped<DeletionApplier>();
        services.AddScoped<DeletionReconciliation>();
        services.AddScoped<DeletionGuard>();
        return services;
    }
}
