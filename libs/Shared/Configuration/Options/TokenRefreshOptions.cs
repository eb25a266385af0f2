using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace IntegrationSync.Shared.Configuration.Options;

public sealed class TokenRefreshOptions
{
    public const string Section = "token_refresh";

    [ConfigurationKeyName("enabled")]
    public bool Enabled { get; set; } = true;

    [ConfigurationKeyName("interval_ms"), Range(1_000, 86_400_000)]
    public int IntervalMs { get; set; } = 3_600_000;

    [ConfigurationKeyName("expiration_threshold_ms"), Range(0, 604_800_000)]
    public int ExpirationThresholdMs { get; set; } = 3_600_000;
}
