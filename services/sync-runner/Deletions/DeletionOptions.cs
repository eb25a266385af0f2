using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace IntegrationSync.SyncRunner.Deletions;

/// <summary>Records deleted at the vendor, taken to Castiel by the runner (section <c>deletions</c>).</summary>
public sealed class DeletionOptions
{
    public const string Section = "deletions";

    /// <summary>
    /// The mass-delete guard: a run whose vendor deletions exceed this share of the integration's linked records (of the
    /// run's entity type) applies none of them until a person approves them through the API.
    /// </summary>
    [ConfigurationKeyName("mass_delete_share"), Range(0.0, 1.0)]
    public double MassDeleteShare { get; set; } = 0.1;

    /// <summary>Fewer deletions than this in one run are never held, whatever their share (deleting 2 of 5 records is no accident).</summary>
    [ConfigurationKeyName("mass_delete_minimum"), Range(1, 1_000_000)]
    public int MassDeleteMinimum { get; set; } = 50;

    /// <summary>Shards deleted through shard-manager at once.</summary>
    [ConfigurationKeyName("apply_concurrency"), Range(1, 64)]
    public int ApplyConcurrency { get; set; } = 8;
}
