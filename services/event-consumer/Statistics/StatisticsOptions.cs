using System.ComponentModel.DataAnnotations;
using IntegrationSync.Shared.Messaging;
using Microsoft.Extensions.Configuration;

namespace IntegrationSync.EventConsumer.Statistics;

public sealed class StatisticsOptions
{
    public const string Section = "statistics";

    /// <summary>How long the first result of a batch waits for others before the batch is written.</summary>
    [ConfigurationKeyName("flush_interval_ms"), Range(0, 1000)]
    public int FlushIntervalMs { get; set; } = 20;

    [ConfigurationKeyName("max_batch"), Range(1, 100_000)]
    public int MaxBatch { get; set; } = 1000;

    /// <summary>Batches being written at once.</summary>
    [ConfigurationKeyName("concurrent_flushes"), Range(1, 64)]
    public int ConcurrentFlushes { get; set; } = 4;

    /// <summary>Results held unacknowledged at once: several batches, so the next one fills while one is written.</summary>
    [ConfigurationKeyName("prefetch"), Range(1, 65_535)]
    public ushort Prefetch { get; set; } = 2000;

    [ConfigurationKeyName("concurrency"), Range(1, 65_535)]
    public ushort Concurrency { get; set; } = 2000;

    public ConsumerLimits ConsumerLimits => new(Prefetch, Concurrency);

    [ConfigurationKeyName("sweep_interval_seconds"), Range(1, 86_400)]
    public int SweepIntervalSeconds { get; set; } = 60;
}
