using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace IntegrationSync.Shared.Configuration.Options;

public sealed class SyncSchedulerOptions
{
    public const string Section = "sync_scheduler";

    [ConfigurationKeyName("enabled")]
    public bool Enabled { get; set; } = true;

    [ConfigurationKeyName("interval_ms"), Range(1_000, 86_400_000)]
    public int IntervalMs { get; set; } = 60_000;

    [ConfigurationKeyName("batch_size"), Range(1, 10_000)]
    public int BatchSize { get; set; } = 100;
}
