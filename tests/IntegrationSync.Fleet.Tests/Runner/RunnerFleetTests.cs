using IntegrationSync.SyncRunner.Slots;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using IntegrationSync.Shared.Contracts;
using IntegrationSync.Shared.Contracts.Events;
using IntegrationSync.Shared.Limits;
using IntegrationSync.Shared.Sync;
using Microsoft.Azure.Cosmos;

namespace IntegrationSync.Fleet.Tests.Runner;

public sealed class RunnerFleetTests(TwoRunnerFleet fleet) : IClassFixture<TwoRunnerFleet>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Twenty_triggers_for_one_tenant_never_run_more_than_three_at_once_and_all_complete()
    {
        var integrations = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => fleet.AddSampleIntegrationAsync(count: 150, pageDelayMs: 100)));

        var taskIds = await Task.WhenAll(integrations.Select(TriggerAsync));
        foreach (var taskId in taskIds)
        {
            await fleet.WaitForTaskAsync(taskId, SyncStatus.Completed, Wait);
        }

        // Each execution holds its tenant slot from its start until it is completed: at no instant more than three overlap.
        var executions = await Executions(taskIds);
        Assert.Equal(20, executions.Count);
        var overlap = MaxOverlap(executions.Select(e => (IsoTime.Parse(e.StartedAt)!.Value, IsoTime.Parse(e.CompletedAt)!.Value)));
        Assert.InRange(overlap, 2, 3);
        Assert.All(executions, e => Assert.Equal(150, e.RecordsCreated));
        var slots = await new TenantSlots(fleet.Database.Containers, Microsoft.Extensions.Options.Options.Create(new Shared.Configuration.Options.SyncLimitsOptions()), TimeProvider.System)
            .ReadAsync(fleet.TenantId, TenantSlotsDocument.IdFor(fleet.TenantId), CancellationToken.None);
        Assert.Empty(slots!.Holders);
        Assert.Empty(slots.Waiting);
    }

    [Fact]
    public async Task A_runner_that_dies_mid_sync_is_replaced_and_the_run_resumes_from_its_checkpoint_with_no_record_missing()
    {
        var integrationId = await fleet.AddSampleIntegrationAsync(count: 1500, pageSize: 100, pageDelayMs: 150);
        var taskId = await TriggerAsync(integrationId);

        var running = await WaitForExecutionAsync(taskId, e => e.RecordsPublished >= 300);
        var owner = fleet.RunnerOf(running);
        await fleet.StopHostAsync(owner);

        var task = await fleet.WaitForTaskAsync(taskId, SyncStatus.Completed, Wait);
        var execution = (await Executions([taskId])).Single();
        // Resumed at least once (a busy machine may make a resumed run miss its short lease too); nothing missing or counted twice.
        Assert.True(execution.Attempt >= 2);
        Assert.Equal((1500, 1500), (execution.RecordsPublished, execution.RecordsCreated));
        Assert.Equal(1500, task["recordsProcessed"]!.GetValue<int>());
        var onTheWire = fleet.Wire.OfType(EventNames.DataRawBatch).Select(m => m.Data<DataRawBatch>())
            .Where(b => b.SyncTaskId == taskId).SelectMany(b => b.Records).Select(r => r.ExternalId).ToHashSet();
        Assert.Equal(Enumerable.Range(0, 1500).Select(i => $"sample-3-{i:D7}").ToHashSet(), onTheWire);
        Assert.Single(fleet.Wire.OfType(EventNames.SyncCompleted), m => m.Data<SyncCompleted>().TaskId == taskId);
    }

    [Fact]
    public async Task A_cancelled_running_sync_stops_between_pages_and_frees_its_slot()
    {
        var integrationId = await fleet.AddSampleIntegrationAsync(count: 5000, pageSize: 100, pageDelayMs: 200);
        var taskId = await TriggerAsync(integrationId);
        await WaitForExecutionAsync(taskId, e => e.RecordsPublished >= 200);

        // What the API's cancel does for a running task.
        await new SyncTaskRepository(fleet.Database.Containers).UpdateAsync(fleet.TenantId, taskId,
            t => t with { CancelRequestedAt = IsoTime.Format(DateTimeOffset.UtcNow) }, CancellationToken.None);

        await fleet.WaitForTaskAsync(taskId, SyncStatus.Cancelled, Wait);
        var execution = (await Executions([taskId])).Single();
        Assert.Equal(SyncStatus.Cancelled, execution.Status);
        Assert.InRange(execution.RecordsPublished, 200, 4900);
        var slots = await new SyncTaskRepository(fleet.Database.Containers).ReadAsync(fleet.TenantId, taskId, CancellationToken.None);
        Assert.Equal(SyncStatus.Cancelled, slots!.Status);
    }

    [Fact]
    public async Task A_scheduled_integration_gets_one_task_per_enabled_entity_mapping()
    {
        var integrationId = await fleet.AddSampleIntegrationAsync(count: 5, syncConfig: new JsonObject
        {
            ["entityMappings"] = new JsonArray(
                new JsonObject { ["externalEntity"] = "opportunity", ["enabled"] = true },
                new JsonObject { ["externalEntity"] = "account" },
                new JsonObject { ["externalEntity"] = "contact", ["enabled"] = false }),
        });
        await using var manager = new TestSupport.TestPublisher(fleet.RabbitMqUrl, fleet.Exchange, "integration-manager");

        await manager.PublishAsync(new SyncScheduled(integrationId, fleet.TenantId, "scheduled", IsoTime.Format(DateTimeOffset.UtcNow)), fleet.TenantId);

        await fleet.Wire.WaitUntilAsync(m => m.Count(x => x.Envelope.Type == EventNames.SyncCompleted
            && x.Envelope.TenantId == fleet.TenantId && StartedFor(m, integrationId).Contains(x.Data<SyncCompleted>().TaskId)) == 2,
            Wait, "two completed scheduled syncs");
        var entityTypes = fleet.Wire.OfType(EventNames.DataRaw).Select(m => m.Data<DataRaw>()).Where(d => d.IntegrationId == integrationId)
            .Select(d => d.EntityType).Distinct().Order();
        Assert.Equal(["account", "opportunity"], entityTypes);
    }

    [Fact]
    public async Task Webhook_triggers_inside_the_min_interval_are_deferred_coalesced_and_run_when_the_window_closes()
    {
        var integrationId = await fleet.AddSampleIntegrationAsync(count: 3);
        await fleet.WaitForTaskAsync(await TriggerAsync(integrationId), SyncStatus.Completed, Wait);
        await using var receiver = new TestSupport.TestPublisher(fleet.RabbitMqUrl, fleet.Exchange, "integration-sync-api");
        var deferred = new SyncRunner.Intake.DeferredTriggers(fleet.Database.Containers);
        var deferredId = SyncRunner.Intake.DeferredTriggerDocument.IdFor(integrationId, "opportunity");

        await receiver.PublishAsync(new WebhookReceived(integrationId, fleet.TenantId, "opportunity"), fleet.TenantId);
        await receiver.PublishAsync(new WebhookReceived(integrationId, fleet.TenantId, "opportunity"), fleet.TenantId);

        var waiting = await WaitForAsync(() => deferred.ReadAsync(fleet.TenantId, deferredId, CancellationToken.None), d => d?.Coalesced == 2);
        Assert.Empty(await TasksRequestedBy(integrationId, "webhook"));

        // The window closes (instead of waiting the configured minutes).
        var gate = new MinIntervalGate(fleet.Database.Containers, TimeProvider.System);
        var past = IsoTime.Format(DateTimeOffset.UtcNow.AddSeconds(-1));
        await gate.UpdateAsync(fleet.TenantId, MinIntervalWindowDocument.IdFor(integrationId), w => w with { OpenUntil = past }, CancellationToken.None);
        await deferred.UpdateAsync(fleet.TenantId, deferredId, d => d with { DueAt = past }, CancellationToken.None);

        var webhookTasks = await WaitForAsync(() => TasksRequestedBy(integrationId, "webhook"), t => t.Count == 1 && t[0].Status == SyncStatus.Completed);
        Assert.Equal("opportunity", webhookTasks[0].EntityType);
        Assert.Null(await deferred.ReadAsync(fleet.TenantId, deferredId, CancellationToken.None));
        Assert.NotNull(waiting);
    }

    [Fact]
    public async Task The_due_check_is_published_once_per_fleet_at_start()
    {
        await fleet.Wire.WaitUntilAsync(m => m.Any(x => x.Envelope.Type == EventNames.SyncCheckDue), Wait, "check_due");

        // Two runners, one tick per interval (60 s): no two checks closer than that, however long the fleet has been up.
        var checks = fleet.Wire.OfType(EventNames.SyncCheckDue);
        var times = checks.Select(c => IsoTime.Parse(c.Envelope.Timestamp)!.Value).Order().ToList();
        Assert.All(times.Zip(times.Skip(1)), pair => Assert.True(pair.Second - pair.First > TimeSpan.FromSeconds(50), $"two checks at {pair.First:O} and {pair.Second:O}"));
        Assert.Equal(("", "scheduled"), (checks[0].Envelope.TenantId, checks[0].Data<SyncCheckDue>().CheckType));
    }

    private async Task<List<SyncTaskDocument>> TasksRequestedBy(string integrationId, string requestedBy) =>
        await new SyncTaskRepository(fleet.Database.Containers).QueryAsync(fleet.TenantId,
            new QueryDefinition("SELECT * FROM c WHERE c.tenantId = @t AND c.integrationId = @i AND c.requestedBy = @by")
                .WithParameter("@t", fleet.TenantId).WithParameter("@i", integrationId).WithParameter("@by", requestedBy), null, CancellationToken.None);

    private static async Task<T> WaitForAsync<T>(Func<Task<T>> read, Func<T, bool> condition)
    {
        var deadline = DateTime.UtcNow + Wait;
        T value;
        while (!condition(value = await read()))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"condition not met; last value: {value}");
            }
            await Task.Delay(100);
        }
        return value;
    }

    private static HashSet<string> StartedFor(IReadOnlyList<TestSupport.WireMessage> messages, string integrationId) =>
        messages.Where(m => m.Envelope.Type == EventNames.SyncStarted && m.Data<SyncStarted>().IntegrationId == integrationId)
            .Select(m => m.Data<SyncStarted>().TaskId).ToHashSet();

    private async Task<string> TriggerAsync(string integrationId)
    {
        var response = await fleet.Api.PostAsJsonAsync("/api/v1/sync/trigger", new { integrationId });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["taskId"]!.GetValue<string>();
    }

    private async Task<List<ExecutionDocument>> Executions(IEnumerable<string> taskIds)
    {
        var ids = taskIds.ToList();
        return (await new ExecutionRepository(fleet.Database.Containers).QueryAsync(fleet.TenantId,
            new QueryDefinition("SELECT * FROM c WHERE c.tenantId = @t AND ARRAY_CONTAINS(@tasks, c.taskId)")
                .WithParameter("@t", fleet.TenantId).WithParameter("@tasks", ids), null, CancellationToken.None)).ToList();
    }

    private async Task<ExecutionDocument> WaitForExecutionAsync(string taskId, Func<ExecutionDocument, bool> condition)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (DateTime.UtcNow < deadline)
        {
            if ((await Executions([taskId])).FirstOrDefault() is { } execution && condition(execution))
            {
                return execution;
            }
            await Task.Delay(50);
        }
        throw new TimeoutException($"execution of task {taskId} did not reach the expected state");
    }

    private static int MaxOverlap(IEnumerable<(DateTimeOffset Start, DateTimeOffset End)> intervals) =>
        intervals.SelectMany(i => new[] { (At: i.Start, Delta: 1), (At: i.End, Delta: -1) })
            .OrderBy(p => p.At).ThenBy(p => p.Delta)
            .Aggregate((Current: 0, Max: 0), (acc, p) => (acc.Current + p.Delta, Math.Max(acc.Max, acc.Current + p.Delta))).Max;
}
