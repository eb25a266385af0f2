using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace IntegrationSync.SyncRunner.Execution;

public sealed class RunnerOptions
{
    public const string Section = "runner";

    /// <summary>How often a running execution renews its tenant slot and shows it is alive.</summary>
    [ConfigurationKeyName("heartbeat_seconds"), Range(1, 3600)]
    public int HeartbeatSeconds { get; set; } = 10;

    /// <summary>A running execution silent for this long is taken over by the reaper.</summary>
    [ConfigurationKeyName("lease_seconds"), Range(2, 86_400)]
    public int LeaseSeconds { get; set; } = 60;

    /// <summary>Runs of one execution (first run plus resumes) before it is failed.</summary>
    [ConfigurationKeyName("max_attempts"), Range(1, 100)]
    public int MaxAttempts { get; set; } = 3;

    [ConfigurationKeyName("reaper_interval_seconds"), Range(1, 3600)]
    public int ReaperIntervalSeconds { get; set; } = 30;

    /// <summary>A task still pending this long after it was stored, with no work message taken up, is sent to the runners again.</summary>
    [ConfigurationKeyName("pending_redispatch_seconds"), Range(10, 86_400)]
    public int PendingRedispatchSeconds { get; set; } = 120;

    /// <summary>Runs one runner owns at once; work beyond waits in the queue (the tenant limits apply on top).</summary>
    [ConfigurationKeyName("max_concurrent_runs"), Range(1, 256)]
    public int MaxConcurrentRuns { get; set; } = 8;

    /// <summary>
    /// On shutdown, how long runs get to hand their executions back at their checkpoint for another runner to resume at once.
    /// 0 abandons them as a crash would (the reaper resumes them after <see cref="LeaseSeconds"/>).
    /// </summary>
    [ConfigurationKeyName("shutdown_grace_seconds"), Range(0, 600)]
    public int ShutdownGraceSeconds { get; set; } = 20;

    /// <summary>
    /// CRM records a run may have published without their mapping result yet; beyond, it waits for mapping to catch up,
    /// so one tenant's big sync holds at most this much of the shared queues. 0 turns the bound off.
    /// </summary>
    [ConfigurationKeyName("max_unmapped_records"), Range(0, 10_000_000)]
    public int MaxUnmappedRecords { get; set; } = 20_000;

    /// <summary>Pages sent and awaiting their broker confirms at once; checkpoints still advance page by page, in order.</summary>
    [ConfigurationKeyName("pages_in_flight"), Range(1, 64)]
    public int PagesInFlight { get; set; } = 8;

    /// <summary>
    /// At most one checkpoint write per interval: pages confirmed in between are covered by the next write, and a resumed
    /// run re-sends at most what was confirmed since the last one. Each write is a Cosmos call on the page path's budget.
    /// </summary>
    [ConfigurationKeyName("checkpoint_interval_ms"), Range(0, 60_000)]
    public int CheckpointIntervalMs { get; set; } = 500;

    /// <summary>How often deferred scheduled/webhook triggers are checked for a closed min-interval window (once per fleet).</summary>
    /// <summary>How long a deleted integration's cursors stay (a restored integration continues where it was), in days.</summary>
    [ConfigurationKeyName("deleted_integration_retention_days"), Range(1, 3650)]
    public int DeletedIntegrationRetentionDays { get; set; } = 30;

    [ConfigurationKeyName("deferred_check_seconds"), Range(1, 3600)]
    public int DeferredCheckSeconds { get; set; } = 15;

    /// <summary>After a 401, how long to wait for refreshed credentials before failing the run.</summary>
    [ConfigurationKeyName("auth_refresh_wait_seconds"), Range(1, 600)]
    public int AuthRefreshWaitSeconds { get; set; } = 30;

    [ConfigurationKeyName("auth_refresh_poll_ms"), Range(50, 60_000)]
    public int AuthRefreshPollMs { get; set; } = 1000;

    /// <summary>Reads of a page again after a transient failure (429, 5xx, timeout) outlasted the HTTP pipeline's retries; then the run fails.</summary>
    [ConfigurationKeyName("page_retry_attempts"), Range(0, 100)]
    public int PageRetryAttempts { get; set; } = 5;

    /// <summary>First wait before reading a page again when the vendor sent no <c>Retry-After</c>; doubled per attempt, with jitter.</summary>
    [ConfigurationKeyName("page_retry_delay_ms"), Range(1, 600_000)]
    public int PageRetryDelayMs { get; set; } = 2000;

    [ConfigurationKeyName("page_retry_max_delay_seconds"), Range(1, 3600)]
    public int PageRetryMaxDelaySeconds { get; set; } = 60;

    /// <summary>
    /// Longest a run waits for one page in all. A <c>Retry-After</c> beyond what is left (a daily quota, a maintenance window)
    /// ends the run early instead; the next run resumes from the checkpoint.
    /// </summary>
    [ConfigurationKeyName("page_retry_max_wait_seconds"), Range(0, 86_400)]
    public int PageRetryMaxWaitSeconds { get; set; } = 300;

    public TimeSpan Heartbeat => TimeSpan.FromSeconds(HeartbeatSeconds);
    public TimeSpan Lease => TimeSpan.FromSeconds(LeaseSeconds);

    /// <summary>
    /// A run's tenant slot outlives its execution lease: a run alive enough to keep its execution never loses its slot to a
    /// late renewal, and the slot of a dead one frees soon after the reaper took its execution over.
    /// </summary>
    public TimeSpan SlotLease => Lease * 2;
    public TimeSpan CheckpointInterval => TimeSpan.FromMilliseconds(CheckpointIntervalMs);
}
