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

    /// <summary>
    /// The most records one page asks a vendor for (each vendor's own maximum applies too): adapters ask for the vendor's
    /// largest page by default and halve it where a response exceeds <see cref="MaxResponseBytes"/>.
    /// </summary>
    [ConfigurationKeyName("max_page_size"), Range(1, 10_000)]
    public int MaxPageSize { get; set; } = 5000;

    /// <summary>Share of a vendor's daily API allocation past which a run makes no further call (ends early, quota exhausted).</summary>
    [ConfigurationKeyName("quota_share"), Range(0.01, 1.0)]
    public double QuotaShare { get; set; } = 0.8;

    /// <summary>Salesforce: a read of more records than this (as its first query page counts them) continues as a Bulk API 2.0 query job.</summary>
    [ConfigurationKeyName("salesforce_bulk_threshold"), Range(1, int.MaxValue)]
    public int SalesforceBulkThreshold { get; set; } = 2000;

    /// <summary>Salesforce: first wait before asking whether a query job is done; each further wait doubles, up to 30 s.</summary>
    [ConfigurationKeyName("salesforce_bulk_poll_ms"), Range(1, 60_000)]
    public int SalesforceBulkPollMs { get; set; } = 2000;

    /// <summary>Salesforce: longest wait for one query job, after which the read fails transiently (and resumes the same job).</summary>
    [ConfigurationKeyName("salesforce_bulk_max_wait_seconds"), Range(1, 86_400)]
    public int SalesforceBulkMaxWaitSeconds { get; set; } = 1800;

    /// <summary>
    /// HubSpot: a read covers changes up to this long before it starts, so changes its search index has not taken in yet
    /// (and clock skew) fall into the next read's window instead of being skipped.
    /// </summary>
    [ConfigurationKeyName("hubspot_search_lag_seconds"), Range(0, 3600)]
    public int HubSpotSearchLagSeconds { get; set; } = 30;

    /// <summary>Longest pause taken when a vendor's rate-limit headers say the window is spent (HubSpot).</summary>
    [ConfigurationKeyName("max_rate_limit_pause_ms"), Range(0, 600_000)]
    public int MaxRateLimitPauseMs { get; set; } = 10_000;
}
