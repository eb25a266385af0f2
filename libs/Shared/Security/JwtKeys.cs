using System.Text;
using IntegrationSync.Shared.Configuration;
using IntegrationSync.Shared.Configuration.Options;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace IntegrationSync.Shared.Security;

/// <summary>The HS256 key of the platform secret, the one way every host builds it.</summary>
public static class JwtKeys
{
    public const int RecommendedBytes = 32;

    /// <summary>
    /// The secret's UTF-8 bytes, zero-padded to 32 bytes when shorter. HMAC pads every key shorter than its 64-byte block
    /// with zeros (RFC 2104), so the padded key signs and verifies exactly as the short one does in Castiel's services,
    /// while Microsoft.IdentityModel refuses HS256 keys under 256 bits.
    /// </summary>
    public static SymmetricSecurityKey SigningKey(string secret)
    {
        var bytes = Encoding.UTF8.GetBytes(secret);
        return new SymmetricSecurityKey(bytes.Length >= RecommendedBytes ? bytes : [.. bytes, .. new byte[RecommendedBytes - bytes.Length]]);
    }

    /// <summary><c>jwt.*</c>, validated at start-up, with a warning when the secret is weak.</summary>
    public static IServiceCollection AddJwtOptions(this IServiceCollection services)
    {
        if (services.Any(d => d.ImplementationType == typeof(WeakSecretWarning)))
        {
            return services;
        }
        services.AddValidatedOptions<JwtOptions>(JwtOptions.Section);
        services.AddHostedService<WeakSecretWarning>();
        return services;
    }
}

/// <summary>Says at start-up that a secret shorter than 256 bits is accepted (Castiel's may be) but easier to brute-force.</summary>
public sealed class WeakSecretWarning(IOptions<JwtOptions> options, ILogger<WeakSecretWarning> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var length = Encoding.UTF8.GetByteCount(options.Value.Secret);
        if (length < JwtKeys.RecommendedBytes)
        {
            logger.LogWarning("jwt.secret (JWT_SECRET) is {Length} bytes, shorter than the {Recommended} bytes HS256 should have: accepted, as "
                + "Castiel accepts it, but tokens signed with it are easier to forge. Use a longer secret across the platform.",
                length, JwtKeys.RecommendedBytes);
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
