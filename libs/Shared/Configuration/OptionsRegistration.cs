using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace IntegrationSync.Shared.Configuration;

public static class OptionsRegistration
{
    /// <summary>
    /// Binds a YAML section, validates it with key-named messages, and fails the host at start-up when invalid. A second
    /// registration of the same options (two features of one host need them) changes nothing.
    /// </summary>
    public static IServiceCollection AddValidatedOptions<TOptions>(this IServiceCollection services, string section)
        where TOptions : class
    {
        if (services.Any(d => d.ServiceType == typeof(IValidateOptions<TOptions>)))
        {
            return services;
        }
        services.AddOptions<TOptions>()
            .BindConfiguration(section, binder => binder.ErrorOnUnknownConfiguration = false)
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<TOptions>>(new KeyedOptionsValidator<TOptions>(section));
        return services;
    }
}
