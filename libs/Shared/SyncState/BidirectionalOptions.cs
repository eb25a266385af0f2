using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace IntegrationSync.Shared.SyncState;

/// <summary>Pushing Castiel changes back (section <c>bidirectional</c>): runner, event-consumer and sync-api.</summary>
public sealed class BidirectionalOptions
{
    public const string Section = "bidirectional";

    /// <summary>The strategy of an integration whose <c>syncConfig.conflictResolution</c> is unset.</summary>
    [ConfigurationKeyName("default_conflict_resolution"), Required, RegularExpression("^(source_wins|target_wins|newest_wins|merge|manual)$",
        ErrorMessage = "must be source_wins, target_wins, newest_wins, merge or manual")]
    public string DefaultConflictResolution { get; set; } = "newest_wins";

    /// <summary><c>merge</c>: what a field changed on both sides takes.</summary>
    [ConfigurationKeyName("merge_fallback"), Required, RegularExpression("^(source_wins|target_wins|newest_wins|manual)$",
        ErrorMessage = "must be source_wins, target_wins, newest_wins or manual")]
    public string MergeFallback { get; set; } = "newest_wins";

    /// <summary>A push waits this long after a shard's last change, so a burst of updates is pushed once.</summary>
    [ConfigurationKeyName("coalesce_ms"), Range(0, 60_000)]
    public int CoalesceMs { get; set; } = 200;

    /// <summary>Records of one integration pushed at once by one runner.</summary>
    [ConfigurationKeyName("push_concurrency"), Range(1, 64)]
    public int PushConcurrency { get; set; } = 4;

    /// <summary>An integration's pushes give their tenant slot back after this long without work.</summary>
    [ConfigurationKeyName("lane_idle_ms"), Range(0, 60_000)]
    public int LaneIdleMs { get; set; } = 500;

    /// <summary>How long pushes wait for a free tenant slot before they are left to the sweep.</summary>
    [ConfigurationKeyName("slot_wait_seconds"), Range(0, 600)]
    public int SlotWaitSeconds { get; set; } = 5;

    /// <summary>How often (once per fleet) changes that were not pushed are sent again.</summary>
    [ConfigurationKeyName("sweep_interval_seconds"), Range(1, 3600)]
    public int SweepIntervalSeconds { get; set; } = 30;

    /// <summary>A change not pushed this long after it was recorded is sent again by the sweep.</summary>
    [ConfigurationKeyName("redispatch_after_seconds"), Range(1, 86_400)]
    public int RedispatchAfterSeconds { get; set; } = 60;

    /// <summary>Failed pushes of one change before it is marked failed (a new change starts over).</summary>
    [ConfigurationKeyName("max_attempts"), Range(1, 100)]
    public int MaxAttempts { get; set; } = 5;

    /// <summary>Our writes carry it where the vendor echoes a writer back (Salesforce client name, Dataverse tag).</summary>
    [ConfigurationKeyName("writer_tag"), Required, RegularExpression("^[A-Za-z0-9_.-]{1,40}$", ErrorMessage = "must be 1-40 letters, digits, '_', '.' or '-'")]
    public string WriterTag { get; set; } = "integration-sync";

    /// <summary>A shard with no sync state updated this close to its <c>metadata.syncedAt</c> was written by the inbound mapper.</summary>
    [ConfigurationKeyName("mapper_window_ms"), Range(0, 600_000)]
    public int MapperWindowMs { get; set; } = 2000;

    /// <summary>sync-api: how long a resolve waits for the runner to apply it (then 202, and the conflict shows the outcome).</summary>
    [ConfigurationKeyName("resolve_wait_seconds"), Range(0, 120)]
    public int ResolveWaitSeconds { get; set; } = 10;

    /// <summary>First-time records of a run whose sync state is written beside the checkpoint before the page loop waits for it.</summary>
    [ConfigurationKeyName("inbound_backlog"), Range(0, 1_000_000)]
    public int InboundBacklog { get; set; } = 50_000;

    /// <summary>Sync state writes of one run in flight at once.</summary>
    [ConfigurationKeyName("state_write_concurrency"), Range(1, 256)]
    public int StateWriteConcurrency { get; set; } = 32;
}
