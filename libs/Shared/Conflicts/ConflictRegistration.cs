using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace IntegrationSync.Shared.Conflicts;

public static class ConflictRegistration
{
    public static IServiceCollection AddConflictStore(this IServiceCollection services)
    {
        services.TryAddSingleton<ConflictRepository>();
        return services;
    }
}
