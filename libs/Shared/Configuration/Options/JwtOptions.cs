using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace IntegrationSync.Shared.Configuration.Options;

public sealed class JwtOptions
{
    public const string Section = "jwt";

    /// <summary>
    /// The platform's HS256 secret. Any non-empty value, as Castiel's <c>setupJWT</c> accepts; shorter than
    /// <see cref="Security.JwtKeys.RecommendedBytes"/> bytes is accepted with a warning at start-up.
    /// </summary>
    [ConfigurationKeyName("secret"), Required(ErrorMessage = "is required (the platform's JWT secret)")]
    public string Secret { get; set; } = "";

    /// <summary>When set, API tokens must carry this <c>iss</c> (Castiel signs with <c>JWT_ISSUER</c>, default <c>coder</c>) and service tokens carry it.</summary>
    [ConfigurationKeyName("issuer")]
    public string? Issuer { get; set; }

    /// <summary>When set, API tokens must carry this <c>aud</c> (Castiel's <c>JWT_AUDIENCE</c>) and service tokens carry it.</summary>
    [ConfigurationKeyName("audience")]
    public string? Audience { get; set; }

    [ConfigurationKeyName("service_token_lifetime_seconds"), Range(60, 86400)]
    public int ServiceTokenLifetimeSeconds { get; set; } = 900;
}
