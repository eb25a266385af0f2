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

    /// <summary>Requests for a connection within this many seconds of the last claimed one cause no second refresh call (0: off).</summary>
    [ConfigurationKeyName("single_flight_seconds"), Range(0, 86_400)]
    public int SingleFlightSeconds { get; set; } = 60;

    /// <summary>Consecutive failed refreshes of a connection after which its integration is put in error.</summary>
    [ConfigurationKeyName("max_consecutive_failures"), Range(1, 1_000)]
    public int MaxConsecutiveFailures { get; set; } = 3;

    /// <summary>Retries of a transient integration-manager failure (5xx, 408, 429, timeout, refused) within one delivery.</summary>
    [ConfigurationKeyName("transient_retries"), Range(1, 10)]
    public int TransientRetries { get; set; } = 3;

    /// <summary>First retry delay; doubles per retry with jitter, capped at <see cref="RetryMaxDelayMs"/>.</summary>
    [ConfigurationKeyName("retry_base_delay_ms"), Range(1, 60_000)]
    public int RetryBaseDelayMs { get; set; } = 1_000;

    [ConfigurationKeyName("retry_max_delay_ms"), Range(1, 300_000)]
    public int RetryMaxDelayMs { get; set; } = 10_000;
}
