namespace IntegrationSync.Fleet.Tests.Runner;

/// <summary>Two runners, quick leases and reaper, and no draining on stop: a runner can die mid-sync and be replaced.</summary>
public sealed class TwoRunnerFleet : FleetHarness
{
    protected override int RunnerCount => 2;

    protected override IEnumerable<string> ExtraArgs =>
    [
        "--runner:heartbeat_seconds=1", "--runner:lease_seconds=3", "--runner:reaper_interval_seconds=1", "--runner:deferred_check_seconds=1",
        "--rabbitmq:shutdown_drain_seconds=0", "--sync_limits:max_records_per_sync=100000",
    ];
}

public sealed class SmallLimitFleet : FleetHarness
{
    protected override IEnumerable<string> ExtraArgs => ["--sync_limits:max_records_per_sync=250", "--sync_limits:min_interval_minutes=0"];
}
