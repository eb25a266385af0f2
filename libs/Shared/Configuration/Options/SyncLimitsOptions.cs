using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace IntegrationSync.Shared.Configuration.Options;

public sealed class SyncLimitsOptions
{
    public const string Section = "sync_limits";

    [ConfigurationKeyName("max_records_per_sync"), Range(1, 10_000_000)]
    public int MaxRecordsPerSync { get; set; } = 1000;

    /// <summary>0 disables the check.</summary>
    [ConfigurationKeyName("min_interval_minutes"), Range(0, 10_080)]
    public int MinIntervalMinutes { get; set; } = 5;

    [ConfigurationKeyName("max_concurrent_syncs_per_tenant"), Range(1, 10)]
    public int MaxConcurrentSyncsPerTenant { get; set; } = 3;

    /// <summary>Tasks a tenant may have waiting (not started) at once; a trigger beyond is refused with 429, so no tenant's line grows without bound.</summary>
    [ConfigurationKeyName("max_pending_per_tenant"), Range(1, 10_000)]
    public int MaxPendingPerTenant { get; set; } = 100;
}
