using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace IntegrationSync.Shared.Configuration.Options;

/// <summary>The mapping keys this fleet uses; the processors' own keys stay in default.yaml for compatibility.</summary>
public sealed class MappingOptions
{
    public const string Section = "mapping";

    [ConfigurationKeyName("batch_size"), Range(1, 1000)]
    public int BatchSize { get; set; } = 50;

    /// <summary>Strictly more records than this in a run → batch events.</summary>
    [ConfigurationKeyName("batch_threshold"), Range(0, 1_000_000)]
    public int BatchThreshold { get; set; } = 100;

    [ConfigurationKeyName("completion_timeout_seconds"), Range(1, 604_800)]
    public int CompletionTimeoutSeconds { get; set; } = 3600;
}
