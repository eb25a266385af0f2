using System.Text;
using IntegrationSync.Faults.Tests.Processes;
using RabbitMQ.Client;

namespace IntegrationSync.Faults.Tests;

[CollectionDefinition(Name)]
public sealed class FaultCollection : ICollectionFixture<FaultFleet>
{
    public const string Name = "fault fleet";
}

/// <summary>
/// The scenarios CI runs through the README's test command (<c>Scope=ci</c>); scripts/faults.sh runs these and
/// <see cref="FullFaultScenarios"/>. Each kills, freezes or restarts real processes mid-sync and ends with the same verdict.
/// </summary>
[Collection(FaultCollection.Name), Trait("Scope", "ci")]
public sealed class FaultScenarios(FaultFleet fleet)
{
    [Fact]
    public async Task Undisturbed_sync_is_the_baseline()
    {
        var run = new ScenarioRun(fleet, "no fault (baseline)", records: 2000);
        await run.StartAsync();
        await run.MidwayAsync();
        await run.FinishAsync("—");
    }

    [Fact]
    public async Task A_broker_restart_mid_sync_neither_fails_the_run_nor_loses_a_record()
    {
        var run = new ScenarioRun(fleet, "broker restart mid-sync", records: 2000);
        await run.StartAsync();
        await run.MidwayAsync();
        await fleet.Broker.StopAsync();
        await fleet.Broker.StartAgainAsync();
        await run.FinishAsync("broker boot + client recovery (0.5 s) + publish backoff (≤ 2 s); bound rabbitmq.publish_recovery_seconds");
        await EveryQueueIsConsumedAgainAsync();
    }

    [Fact]
    public async Task Connections_force_closed_by_the_broker_mid_sync_neither_fail_the_run_nor_lose_a_record()
    {
        var run = new ScenarioRun(fleet, "broker connections force-closed", records: 2000);
        await run.StartAsync();
        await run.MidwayAsync();
        Assert.True(await fleet.Broker.CloseAllConnectionsAsync() > 0);
        await run.FinishAsync("client recovery (0.5 s) + publish backoff (≤ 2 s)");
        await EveryQueueIsConsumedAgainAsync();
    }

    [Fact]
    public async Task A_runner_killed_mid_page_is_replaced_and_its_run_resumes_from_the_checkpoint()
    {
        var run = new ScenarioRun(fleet, "runner SIGKILL mid-page", records: 2000);
        await run.StartAsync();
        await run.MidwayAsync();
        var owner = fleet.RunnerNamed((await run.ExecutionAsync())?.RunnerInstance) ?? throw new InvalidOperationException("no runner owns the execution");
        await owner.KillAsync();
        fleet.Runners.Remove(owner);
        fleet.Runners.Add(await fleet.StartAsync(owner.Name, "services/sync-runner", "IntegrationSync.SyncRunner"));
        var row = await run.FinishAsync("runner.lease_seconds (5) + reaper interval (1)");
        Assert.Equal(2, (await run.ExecutionAsync())!.Attempt);
        Assert.Equal(0, row.Lost);
    }

    [Fact]
    public async Task Every_mapping_result_delivered_three_times_still_counts_exactly()
    {
        fleet.Peers = await RestartPeersAsync(copies: 3);
        try
        {
            var run = new ScenarioRun(fleet, "3× duplicate delivery of every mapping result", records: 2000);
            await run.StartAsync();
            await run.MidwayAsync();
            await run.FinishAsync("— (duplicates ignored as they are counted)");
        }
        finally
        {
            fleet.Peers = await RestartPeersAsync(copies: 1);
        }
    }

    [Fact]
    public async Task A_hundred_poison_messages_in_each_queue_are_parked_with_their_error_and_the_flow_goes_on()
    {
        var queues = ConsumedQueues;
        var run = new ScenarioRun(fleet, "100 poison messages in each queue", records: 2000);
        await run.StartAsync();
        await run.MidwayAsync();
        await using (var connection = await new ConnectionFactory { Uri = new Uri(fleet.Broker.Url) }.CreateConnectionAsync())
        await using (var channel = await connection.CreateChannelAsync())
        {
            foreach (var queue in queues)
            {
                for (var i = 0; i < 100; i++)
                {
                    await channel.BasicPublishAsync("", queue, mandatory: true, new BasicProperties { Persistent = true },
                        Encoding.UTF8.GetBytes($"poison {i}: not an envelope"));
                }
            }
        }
        await run.FinishAsync("— (malformed messages are parked at once)");
        foreach (var queue in queues)
        {
            await FaultFleet.WaitAsync(async () => (await fleet.Broker.PeekAsync($"{queue}.dlq", 100)).Sample.Count >= 100, $"100 parked in {queue}.dlq");
            var (_, parked) = await fleet.Broker.PeekAsync($"{queue}.dlq", 100);
            Assert.All(parked, m => Assert.Contains("malformed", m["properties"]!["headers"]!["x-last-error"]!.GetValue<string>()));
        }
    }

    [Fact]
    public async Task Executions_the_fleet_did_not_write_are_never_swept_completed_reaped_or_republished()
    {
        var legacy = await LegacyDocuments.SeedAsync(fleet.Containers);
        var run = new ScenarioRun(fleet, "legacy processing documents present", records: 500);
        await run.StartAsync();
        await run.MidwayAsync();
        await run.FinishAsync("—");
        // Several sweeps and reaper ticks later, they are exactly as the original system left them.
        await Task.Delay(TimeSpan.FromSeconds(5));
        await legacy.AssertUntouchedAsync(fleet.Containers, fleet.Tap);
    }

    private static readonly string[] ConsumedQueues =
        ["integration_sync.runner", "integration_sync.event_consumer", "integration_sync.webhooks", "integration_sync.token_refresher"];

    /// <summary>
    /// Every queue has its consumer back, not only the ones the scenario's sync needed: a malformed message sent to each
    /// is parked (a consumer the client's recovery lost would leave it waiting, and its service would still look ready).
    /// </summary>
    private async Task EveryQueueIsConsumedAgainAsync()
    {
        await using var connection = await new ConnectionFactory { Uri = new Uri(fleet.Broker.Url) }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        foreach (var queue in ConsumedQueues)
        {
            var marker = $"consumed-again-{Guid.NewGuid():N}";
            await channel.BasicPublishAsync("", queue, mandatory: true, new BasicProperties { Persistent = true, MessageId = marker },
                Encoding.UTF8.GetBytes("not an envelope"));
            await FaultFleet.WaitAsync(async () => (await fleet.Broker.PeekAsync($"{queue}.dlq", 1000)).Sample
                .Any(m => m["properties"]?["message_id"]?.GetValue<string>() == marker), $"{queue} to be consumed again");
        }
    }

    private Task<FleetProcess> RestartPeersAsync(int copies) =>
        Restart(fleet.Peers, () => fleet.StartAsync("castiel-peers", "tools/castiel-peers", "IntegrationSync.CastielPeers",
            new Dictionary<string, string> { ["PEERS__MAPPER__COPIES"] = copies.ToString() }));

    private static async Task<FleetProcess> Restart(FleetProcess process, Func<Task<FleetProcess>> start)
    {
        await process.KillAsync();
        return await start();
    }
}
