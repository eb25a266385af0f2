using IntegrationSync.Faults.Tests.Processes;
using IntegrationSync.Shared.Sync;

namespace IntegrationSync.Faults.Tests;

/// <summary>The scenarios only scripts/faults.sh runs (<c>Scope=full</c>): the slower ones, each still ending with the same verdict.</summary>
[Collection(FaultCollection.Name), Trait("Scope", "full")]
public sealed class FullFaultScenarios(FaultFleet fleet)
{
    [Fact]
    public async Task A_runner_frozen_past_its_lease_is_fenced_off_when_it_wakes_and_another_runner_finishes_the_run()
    {
        var run = new ScenarioRun(fleet, "runner SIGSTOP past its lease, then SIGCONT (zombie)", records: 3000);
        await run.StartAsync();
        await run.MidwayAsync();
        var before = (await run.ExecutionAsync())!;
        var zombie = fleet.RunnerNamed(before.RunnerInstance) ?? throw new InvalidOperationException("no runner owns the execution");
        zombie.Freeze();
        await FaultFleet.WaitAsync(async () => (await run.ExecutionAsync())!.Generation > before.Generation, "another runner to take the execution over");
        zombie.Thaw();
        await run.FinishAsync("runner.lease_seconds (5) + reaper interval (1); the zombie stops at its next fenced write");
        await FaultFleet.WaitAsync(() => Task.FromResult(zombie.Tail(400).Contains("is no longer owned by generation")), "the zombie to find itself fenced off");
        Assert.True(await fleet.CounterAsync(zombie, "integration_sync_runner_leases_lost_total") >= 1, "the lost lease is counted");
    }

    [Fact]
    public async Task An_event_consumer_killed_while_results_stream_is_restarted_and_the_counts_stay_exact()
    {
        var run = new ScenarioRun(fleet, "event-consumer SIGKILL while results stream", records: 3000);
        await run.StartAsync();
        await run.MidwayAsync(0.5);
        await fleet.EventConsumer.KillAsync();
        fleet.EventConsumer = await fleet.StartAsync("event-consumer", "services/event-consumer", "IntegrationSync.EventConsumer");
        await run.FinishAsync("process start + unacked results redelivered; duplicates ignored");
    }

    [Fact]
    public async Task A_consumer_cancelled_by_the_broker_subscribes_again_and_the_run_completes()
    {
        var run = new ScenarioRun(fleet, "consumer cancelled by the broker (runner queue deleted)", records: 2000);
        await run.StartAsync();
        await run.MidwayAsync();
        await fleet.Broker.DeleteQueueAsync("integration_sync.runner");
        await run.FinishAsync("supervision interval (1 s) × 2 + subscribe; a slot whose final event the missing queue lost is freed by the reaper (lease 5 s + reaper 1 s)");
    }

    [Fact]
    public async Task Cosmos_frozen_mid_sync_pauses_the_run_without_failing_it()
    {
        var run = new ScenarioRun(fleet, "Cosmos test server SIGSTOP 8 s mid-sync", records: 2000);
        await run.StartAsync();
        await run.MidwayAsync();
        fleet.Cosmos.Freeze();
        await Task.Delay(TimeSpan.FromSeconds(8));
        fleet.Cosmos.Thaw();
        await run.FinishAsync("the outage; writes retried within cosmos_db.write_retry_seconds, leases renewed after");
    }

    [Fact]
    public async Task A_storm_of_Cosmos_429s_and_503s_is_retried_and_the_run_completes()
    {
        var run = new ScenarioRun(fleet, "Cosmos 429 then 503 storm (300 requests each)", records: 2000);
        await run.StartAsync();
        await run.MidwayAsync();
        using var cosmos = new HttpClient { BaseAddress = new Uri(fleet.CosmosEndpoint) };
        (await cosmos.PostAsync("_test/faults?status=429&count=300&retryAfterMs=20", null)).EnsureSuccessStatusCode();
        await FaultFleet.WaitAsync(async () => (await cosmos.GetStringAsync("_test/faults")).Contains("\"left\":0"), "the 429s to be spent");
        (await cosmos.PostAsync("_test/faults?status=503&count=300", null)).EnsureSuccessStatusCode();
        await run.FinishAsync("the SDK's 429 retries, then CosmosRetry's backoff");
        await cosmos.DeleteAsync("_test/faults");
    }

    [Fact]
    public async Task A_broker_down_longer_than_the_publish_bound_hands_the_run_back_and_it_completes_once_the_broker_returns()
    {
        await fleet.RestartRunnersAsync(new Dictionary<string, string> { ["RABBITMQ__PUBLISH_RECOVERY_SECONDS"] = "3" });
        var brokerStopped = false;
        try
        {
            // Pages slow enough that the broker is down well before the last one (rabbitmqctl shutdown alone can take 10 s here).
            var run = new ScenarioRun(fleet, "broker down past rabbitmq.publish_recovery_seconds (3 s)", records: 2000, pageDelayMs: 2500);
            await run.StartAsync();
            await run.MidwayAsync();
            var before = (await run.ExecutionAsync())!;
            await fleet.Broker.StopAsync();
            brokerStopped = true;
            await FaultFleet.WaitAsync(async () => await run.ExecutionAsync() is { RunnerInstance: null, Status: SyncStatus.Running },
                "the runner to hand the run back", fleet.RunnerNamed(before.RunnerInstance));
            await fleet.Broker.StartAgainAsync();
            brokerStopped = false;
            await run.FinishAsync("the bound (3 s) hands the run back; then the broker's boot and a resume by the reaper (1 s)");
            Assert.True((await run.ExecutionAsync())!.Generation > before.Generation, "another owner resumed the run");
        }
        finally
        {
            if (brokerStopped)
            {
                await fleet.Broker.StartAgainAsync();
            }
            await fleet.RestartRunnersAsync(extra: null);
        }
    }
}
