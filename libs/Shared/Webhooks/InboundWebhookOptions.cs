using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace IntegrationSync.Shared.Webhooks;

/// <summary>Section <c>webhooks.inbound</c>: provider notifications received by sync-api.</summary>
public sealed class InboundWebhookOptions
{
    /// <summary>A larger notification is a 413 (read no further).</summary>
    [ConfigurationKeyName("max_body_bytes"), Range(1_024, 1_048_576)]
    public int MaxBodyBytes { get; set; } = 262_144;

    /// <summary>A signed timestamp further than this from now (either way) is stale: 401.</summary>
    [ConfigurationKeyName("timestamp_tolerance_seconds"), Range(30, 3_600)]
    public int TimestampToleranceSeconds { get; set; } = 300;

    /// <summary>How long an accepted notification's id is remembered to refuse a replay (at least the tolerance).</summary>
    [ConfigurationKeyName("replay_retention_seconds"), Range(60, 30 * 86_400), CoversTolerance]
    public int ReplayRetentionSeconds { get; set; } = 86_400;

    /// <summary>Notifications per integration per minute across all replicas; more are 429 with Retry-After (0: off).</summary>
    [ConfigurationKeyName("rate_per_minute"), Range(0, 100_000)]
    public int RatePerMinute { get; set; } = 600;

    /// <summary>The answer is due within this; a dependency slower than that gives a 503 (the provider sends again).</summary>
    [ConfigurationKeyName("response_timeout_ms"), Range(100, 30_000)]
    public int ResponseTimeoutMs { get; set; } = 1_000;

    /// <summary>
    /// The public base URL providers call (<c>https://api.example.com</c>), for signatures over the URL (HubSpot v3) and the
    /// URL shown to tenants; empty: the request's own scheme and host.
    /// </summary>
    [ConfigurationKeyName("public_base_url"), Url]
    public string? PublicBaseUrl { get; set; }
}

[AttributeUsage(AttributeTargets.Property)]
internal sealed class CoversToleranceAttribute : ValidationAttribute
{
    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext) =>
        validationContext.ObjectInstance is InboundWebhookOptions options && value is int seconds && seconds < 2 * options.TimestampToleranceSeconds
            ? new ValidationResult("must be at least twice timestamp_tolerance_seconds (a replay inside the window must still be known)")
            : ValidationResult.Success;
}
