using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace IntegrationSync.SyncRunner.Adapters.Http;

/// <summary>The narrow retry pipeline and the bounds every adapter's HTTP client shares (section <c>adapter_http</c>).</summary>
public sealed class AdapterHttpOptions
{
    public const string Section = "adapter_http";

    /// <summary>Retries after the first attempt for 5xx, 408, 429, timeouts and connection failures.</summary>
    [ConfigurationKeyName("max_retries"), Range(0, 10)]
    public int MaxRetries { get; set; } = 4;

    /// <summary>First backoff delay (exponential with jitter) when the response carries no <c>Retry-After</c>.</summary>
    [ConfigurationKeyName("retry_delay_ms"), Range(1, 60_000)]
    public int RetryDelayMs { get; set; } = 1000;

    /// <summary>A longer <c>Retry-After</c> is not waited out in-process: the adapter reports it to the runner instead.</summary>
    [ConfigurationKeyName("max_retry_after_seconds"), Range(0, 3600)]
    public int MaxRetryAfterSeconds { get; set; } = 60;

    [ConfigurationKeyName("attempt_timeout_seconds"), Range(1, 600)]
    public int AttemptTimeoutSeconds { get; set; } = 60;

    /// <summary>A larger vendor response fails the call (as a configuration problem): the cap on what one page can cost a runner.</summary>
    [ConfigurationKeyName("max_response_bytes"), Range(64 * 1024, 256 * 1024 * 1024)]
    public int MaxResponseBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>The most records a tenant's <c>pageSize</c> setting can ask a vendor for in one page (below each vendor's own maximum).</summary>
    [ConfigurationKeyName("max_page_size"), Range(1, 10_000)]
    public int MaxPageSize { get; set; } = 1000;

    /// <summary>Longest pause taken when a vendor's rate-limit headers say the window is spent (HubSpot).</summary>
    [ConfigurationKeyName("max_rate_limit_pause_ms"), Range(0, 600_000)]
    public int MaxRateLimitPauseMs { get; set; } = 10_000;
}
