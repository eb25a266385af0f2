using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace IntegrationSync.Shared.Webhooks;

/// <summary>Section <c>webhooks.delivery</c>: how event-consumer delivers lifecycle events to registrations.</summary>
public sealed class WebhookDeliveryOptions
{
    /// <summary>One attempt's limit, connect to last byte read; longer is a failed attempt.</summary>
    [ConfigurationKeyName("timeout_seconds"), Range(1, 120)]
    public int TimeoutSeconds { get; set; } = 10;

    /// <summary>
    /// Delays before the 2nd, 3rd, ... attempt (the Standard Webhooks example schedule). Empty here because the binder
    /// appends to an existing array: default.yaml holds the defaults.
    /// </summary>
    [ConfigurationKeyName("retry_schedule_seconds"), Required, Delays]
    public int[] RetryScheduleSeconds { get; set; } = [];

    /// <summary>Attempts of one delivery in all, the first included; at most one more than the schedule has delays.</summary>
    [ConfigurationKeyName("max_attempts"), Range(1, 50), WithinSchedule]
    public int MaxAttempts { get; set; } = 10;

    /// <summary>Each scheduled delay is moved by up to this share, either way, so failed deliveries do not retry in step.</summary>
    [ConfigurationKeyName("retry_jitter_percent"), Range(0, 50)]
    public int RetryJitterPercent { get; set; } = 20;

    /// <summary>A receiver's <c>Retry-After</c> replaces the scheduled delay, up to this.</summary>
    [ConfigurationKeyName("max_retry_after_seconds"), Range(1, 7 * 86_400)]
    public int MaxRetryAfterSeconds { get; set; } = 86_400;

    /// <summary>Deliveries in a row that failed for good (every attempt) before the registration is disabled.</summary>
    [ConfigurationKeyName("disable_after_failures"), Range(1, 1_000)]
    public int DisableAfterFailures { get; set; } = 5;

    /// <summary>A finished delivery (and its log) is kept this long, then expires (Cosmos TTL).</summary>
    [ConfigurationKeyName("log_retention_days"), Range(1, 3_650)]
    public int LogRetentionDays { get; set; } = 30;

    /// <summary>How much of a receiver's response body the log keeps.</summary>
    [ConfigurationKeyName("response_body_bytes"), Range(0, 65_536)]
    public int ResponseBodyBytes { get; set; } = 1_024;

    /// <summary>How often each replica looks for deliveries that are due (retries, and any a stopped replica left).</summary>
    [ConfigurationKeyName("poll_interval_ms"), Range(50, 60_000)]
    public int PollIntervalMs { get; set; } = 1_000;

    /// <summary>A replica claims a delivery for this long per attempt; if it dies, another takes the delivery over after it.</summary>
    [ConfigurationKeyName("claim_seconds"), Range(5, 3_600), OutlastsAttempts]
    public int ClaimSeconds { get; set; } = 60;

    /// <summary>Attempts in flight at once per replica.</summary>
    [ConfigurationKeyName("max_concurrent"), Range(1, 4_096)]
    public int MaxConcurrent { get; set; } = 64;

    /// <summary>Attempts in flight at once per replica for one tenant.</summary>
    [ConfigurationKeyName("max_concurrent_per_tenant"), Range(1, 1_024)]
    public int MaxConcurrentPerTenant { get; set; } = 8;

    /// <summary>Attempts in flight at once per replica to one registration (endpoint).</summary>
    [ConfigurationKeyName("max_concurrent_per_endpoint"), Range(1, 256)]
    public int MaxConcurrentPerEndpoint { get; set; } = 4;

    /// <summary>Deliveries a replica holds in memory per endpoint; more stay in Cosmos until there is room.</summary>
    [ConfigurationKeyName("max_queued_per_endpoint"), Range(1, 100_000)]
    public int MaxQueuedPerEndpoint { get; set; } = 200;

    /// <summary>Deliveries a replica holds in memory in all.</summary>
    [ConfigurationKeyName("max_queued"), Range(1, 1_000_000)]
    public int MaxQueued { get; set; } = 10_000;

    public TimeSpan Timeout => TimeSpan.FromSeconds(TimeoutSeconds);

    public TimeSpan Claim => TimeSpan.FromSeconds(ClaimSeconds);

    public int RetentionSeconds => LogRetentionDays * 86_400;
}

[AttributeUsage(AttributeTargets.Property)]
internal sealed class DelaysAttribute : ValidationAttribute
{
    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext) =>
        value is int[] delays && delays.Any(d => d is < 1 or > 7 * 86_400)
            ? new ValidationResult("every delay must be 1 to 604800 seconds")
            : ValidationResult.Success;
}

[AttributeUsage(AttributeTargets.Property)]
internal sealed class WithinScheduleAttribute : ValidationAttribute
{
    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext) =>
        validationContext.ObjectInstance is WebhookDeliveryOptions options && value is int attempts && attempts > options.RetryScheduleSeconds.Length + 1
            ? new ValidationResult($"must be at most one more than retry_schedule_seconds has delays ({options.RetryScheduleSeconds.Length})")
            : ValidationResult.Success;
}

[AttributeUsage(AttributeTargets.Property)]
internal sealed class OutlastsAttemptsAttribute : ValidationAttribute
{
    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext) =>
        validationContext.ObjectInstance is WebhookDeliveryOptions options && value is int seconds && seconds < 2 * options.TimeoutSeconds
            ? new ValidationResult("must be at least twice timeout_seconds (a claim must outlast the attempt it covers)")
            : ValidationResult.Success;
}
