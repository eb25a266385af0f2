namespace IntegrationSync.Fleet.Tests.Runner;

/// <summary>Two runners, quick leases and reaper, and no draining or hand-over on stop: a runner can die mid-sync and be replaced.</summary>
public sealed class TwoRunnerFleet : FleetHarness
{
    protected override int RunnerCount => 2;

    protected override IEnumerable<string> ExtraArgs =>
    [
        "--runner:heartbeat_seconds=1", "--runner:lease_seconds=3", "--runner:reaper_interval_seconds=1", "--runner:deferred_check_seconds=1",
        "--rabbitmq:shutdown_drain_seconds=0", "--runner:shutdown_grace_seconds=0", "--sync_limits:max_records_per_sync=100000",
    ];
}

public sealed class SmallLimitFleet : FleetHarness
{
    protected override IEnumerable<string> ExtraArgs => ["--sync_limits:max_records_per_sync=250", "--sync_limits:min_interval_minutes=0"];
}

/// <summary>
/// Quick adapter retries, page retries and token-refresh polling, no min interval: runs against the vendor fakes end in
/// seconds. A page is read 1 + <see cref="PageRetries"/> times at most, each read <see cref="RequestAttempts"/> requests at most.
/// </summary>
public sealed class VendorFleet : FleetHarness
{
    public const string Collection = "vendor fleet";
    public const int RequestAttempts = 5;
    public const int PageRetries = 4;
    private const int MaxPageWaitSeconds = 30;

    protected override IEnumerable<string> ExtraArgs =>
    [
        "--adapter_http:retry_delay_ms=20", "--adapter_http:max_retries=4", "--runner:auth_refresh_poll_ms=100", "--runner:auth_refresh_wait_seconds=20",
        $"--runner:page_retry_attempts={PageRetries}", "--runner:page_retry_delay_ms=50", $"--runner:page_retry_max_wait_seconds={MaxPageWaitSeconds}",
        "--sync_limits:min_interval_minutes=0", .. VendorFakeAccess,
    ];

    /// <summary>Loopback allow-listed, where the fakes listen; no page cap, so a fake's default batch stands in for the vendor's.</summary>
    public static readonly string[] VendorFakeAccess = ["--outbound:allowed_networks:0=127.0.0.0/8", "--adapter_http:max_page_size=10000"];
}

[CollectionDefinition(VendorFleet.Collection)]
public sealed class VendorFleetCollection : ICollectionFixture<VendorFleet>;

/// <summary>Runners that die on stop (no draining, no hand-over), a quick lease and reaper, and three attempts per execution.</summary>
public sealed class LostRunnerFleet : FleetHarness
{
    public const int MaxAttempts = 3;

    protected override int RunnerCount => 2;

    protected override IEnumerable<string> ExtraArgs =>
    [
        "--runner:heartbeat_seconds=1", "--runner:lease_seconds=3", "--runner:reaper_interval_seconds=1", $"--runner:max_attempts={MaxAttempts}",
        "--rabbitmq:shutdown_drain_seconds=0", "--runner:shutdown_grace_seconds=0", .. VendorFleet.VendorFakeAccess,
    ];
}

/// <summary>
/// Runners that die on stop, a quick lease and reaper, a checkpoint past each page as soon as the next is read, no record
/// limit to speak of, and Salesforce reads that go through a Bulk API 2.0 job above 10 records, in result sets of at most
/// 400 (eight full batch events each).
/// </summary>
public sealed class BulkFleet : FleetHarness
{
    protected override int RunnerCount => 2;

    protected override IEnumerable<string> ExtraArgs =>
    [
        "--runner:heartbeat_seconds=1", "--runner:lease_seconds=3", "--runner:reaper_interval_seconds=1",
        "--rabbitmq:shutdown_drain_seconds=0", "--runner:shutdown_grace_seconds=0", "--sync_limits:min_interval_minutes=0", .. VendorFleet.VendorFakeAccess,
        "--runner:pages_in_flight=1", "--sync_limits:max_records_per_sync=100000", "--adapter_http:max_page_size=400", "--adapter_http:salesforce_bulk_threshold=10", "--adapter_http:salesforce_bulk_poll_ms=20",
    ];
}
