using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace IntegrationSync.Shared.Configuration.Options;

public sealed class JwtOptions
{
    public const string Section = "jwt";

    /// <summary>HS256 needs at least 256 bits of key.</summary>
    [ConfigurationKeyName("secret"), Required, MinLength(32, ErrorMessage = "must be at least 32 characters (HS256 key)")]
    public string Secret { get; set; } = "";

    [ConfigurationKeyName("service_token_lifetime_seconds"), Range(60, 86400)]
    public int ServiceTokenLifetimeSeconds { get; set; } = 900;
}
