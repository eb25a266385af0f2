using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace IntegrationSync.CastielPeers.Mapper;

public sealed class MapperOptions
{
    public const string Section = "peers:mapper";

    [ConfigurationKeyName("enabled")]
    public bool Enabled { get; set; } = true;

    /// <summary>Share of records answered with <c>integration.data.mapping.failed</c>, chosen by a hash of the idempotency key (repeatable).</summary>
    [ConfigurationKeyName("failure_rate"), Range(0.0, 1.0)]
    public double FailureRate { get; set; }

    /// <summary>How many times each result is published: more than one drills the statistics' deduplication.</summary>
    [ConfigurationKeyName("copies"), Range(1, 10)]
    public int Copies { get; set; } = 1;

    [ConfigurationKeyName("queue"), Required]
    public string Queue { get; set; } = "castiel_peers.mapper";
}
