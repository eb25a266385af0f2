using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using IntegrationSync.Shared.Contracts;
using IntegrationSync.Shared.Contracts.Events;
using IntegrationSync.Shared.Sync;

namespace IntegrationSync.Fleet.Tests.Runner;

/// <summary>Two runners with a long lease: an execution changes hands only by a hand-over, never by the reaper.</summary>
public sealed class HandoverFleet : FleetHarness
{
    protected override int RunnerCount => 2;

    protected override IEnumerable<string> ExtraArgs =>
    [
        "--runner:heartbeat_seconds=1", "--runner:lease_seconds=60", "--runner:reaper_interval_seconds=1", "--runner:shutdown_grace_seconds=10",
        "--runner:pending_redispatch_seconds=10", "--rabbitmq:shutdown_drain_seconds=0", "--sync_limits:min_interval_minutes=0",
        "--sync_limits:max_records_per_sync=100000",
    ];
}

public sealed class LifecycleTests(HandoverFleet fleet) : IClassFixture<HandoverFleet>
{
    [Fact]
    public async Task A_runner_shutting_down_hands_its_run_over_at_the_checkpoint_and_another_runner_finishes_it_at_once()
    {
        // Long enough (60 pages of 150 ms) that the shutdown reaches it mid-sync on a loaded machine too.
        const int Records = 6000;
        var integrationId = await fleet.AddSampleIntegrationAsync(count: Records, pageSize: 100, pageDelayMs: 150);
        var taskId = await fleet.TriggerAsync(integrationId);
        var running = await fleet.WaitForExecutionAsync(taskId, e => e.RecordsPublished >= 300);

        await fleet.StopHostAsync(fleet.RunnerOf(running));
        await fleet.StartRunnerAsync();

        await fleet.WaitForTaskAsync(taskId, SyncStatus.Completed, FleetRuns.Wait);
        var execution = await fleet.ExecutionAsync(taskId);
        // Not reaped (attempt 1), owned anew (a later generation), and nothing missing or counted twice.
        Assert.Equal((1, Records, Records), (execution.Attempt, execution.RecordsPublished, execution.RecordsProcessed));
        Assert.True(execution.Generation >= 2);
        Assert.Equal(Enumerable.Range(0, Records).Select(i => $"sample-3-{i:D7}").ToHashSet(), fleet.PublishedIds(taskId).ToHashSet());
        Assert.Single(fleet.Wire.OfType(EventNames.SyncCompleted), m => m.Data<SyncCompleted>().TaskId == taskId);
    }

    [Fact]
    public async Task A_paused_run_stops_at_its_checkpoint_frees_its_slot_and_resumes_from_there()
    {
        var integrationId = await fleet.AddSampleIntegrationAsync(count: 2000, pageSize: 100, pageDelayMs: 150);
        var taskId = await fleet.TriggerAsync(integrationId);
        await fleet.WaitForExecutionAsync(taskId, e => e.RecordsPublished >= 200);

        var pause = await fleet.Api.PostAsync($"/api/v1/sync/tasks/{taskId}/pause", null);
        Assert.Equal(HttpStatusCode.Accepted, pause.StatusCode);
        await fleet.WaitForTaskAsync(taskId, SyncStatus.Paused, FleetRuns.Wait);
        var paused = await fleet.ExecutionAsync(taskId);
        Assert.Equal((SyncStatus.Paused, null), (paused.Status, paused.RunnerInstance));
        Assert.DoesNotContain((await fleet.TenantSlotsAsync()).Holders, h => h.ExecutionId == paused.ExecutionId);
        var publishedWhilePaused = fleet.PublishedIds(taskId).Count;
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal(publishedWhilePaused, fleet.PublishedIds(taskId).Count);

        var resume = await fleet.Api.PostAsync($"/api/v1/sync/tasks/{taskId}/resume", null);
        Assert.Equal(HttpStatusCode.Accepted, resume.StatusCode);
        await fleet.WaitForTaskAsync(taskId, SyncStatus.Completed, FleetRuns.Wait);
        var execution = await fleet.ExecutionAsync(taskId);
        Assert.Equal((2000, 2000, 1), (execution.RecordsPublished, execution.RecordsProcessed, execution.Attempt));
        Assert.Equal(2000, fleet.PublishedIds(taskId).ToHashSet().Count);
        // A resumed run starts from its checkpoint: at most the pages confirmed after it go out again.
        Assert.InRange(fleet.PublishedIds(taskId).Count, 2000, 2000 + 10 * 100);
    }

    [Fact]
    public async Task Pausing_a_finished_task_is_a_conflict_and_resuming_one_never_paused_changes_nothing()
    {
        var integrationId = await fleet.AddSampleIntegrationAsync(count: 5);
        var taskId = await fleet.TriggerAsync(integrationId);
        await fleet.WaitForTaskAsync(taskId, SyncStatus.Completed, FleetRuns.Wait);

        var pause = await fleet.Api.PostAsync($"/api/v1/sync/tasks/{taskId}/pause", null);
        var resume = await fleet.Api.PostAsync($"/api/v1/sync/tasks/{taskId}/resume", null);

        Assert.Equal((HttpStatusCode.Conflict, HttpStatusCode.Conflict), (pause.StatusCode, resume.StatusCode));
        Assert.Equal("TASK_NOT_PAUSABLE", (await pause.Content.ReadFromJsonAsync<JsonObject>())!["error"]!["code"]!.GetValue<string>());
        Assert.Equal(SyncStatus.Completed, (await fleet.ExecutionAsync(taskId)).Status);
    }

    [Fact]
    public async Task A_task_stored_but_never_sent_to_a_runner_is_sent_again_by_the_reaper_and_runs()
    {
        var integrationId = await fleet.AddSampleIntegrationAsync(count: 30);
        var taskId = Guid.NewGuid().ToString();
        var longAgo = IsoTime.Format(DateTimeOffset.UtcNow.AddMinutes(-10));
        // What a crash between the API's store and its publish leaves behind.
        await new SyncTaskRepository(fleet.Database.Containers).CreateAsync(new SyncTaskDocument
        {
            Id = taskId, TaskId = taskId, TenantId = fleet.TenantId, IntegrationId = integrationId, Direction = SyncDirection.Inbound,
            Status = SyncStatus.Pending, Managed = true, CreatedAt = longAgo, UpdatedAt = longAgo,
        }, CancellationToken.None);

        await fleet.WaitForTaskAsync(taskId, SyncStatus.Completed, FleetRuns.Wait);
        Assert.Equal(30, (await fleet.ExecutionAsync(taskId)).RecordsProcessed);
    }
}

/// <summary>No mapping result ever comes back: runs stay processing until cancelled or timed out.</summary>
public sealed class SilentMapperFleet : FleetHarness
{
    protected override bool MapperEnabled => false;

    protected override IEnumerable<string> ExtraArgs => ["--sync_limits:min_interval_minutes=0"];
}

public sealed class ProcessingCancelTests(SilentMapperFleet fleet) : IClassFixture<SilentMapperFleet>
{
    [Fact]
    public async Task Cancelling_a_processing_sync_ends_it_cancelled_with_its_counts_and_frees_its_slot()
    {
        var integrationId = await fleet.AddSampleIntegrationAsync(count: 12);
        var taskId = await fleet.TriggerAsync(integrationId);
        await fleet.WaitForTaskAsync(taskId, SyncStatus.Processing, FleetRuns.Wait);

        var cancel = await fleet.Api.PostAsync($"/api/v1/sync/tasks/{taskId}/cancel", null);
        Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);

        var task = await fleet.WaitForTaskAsync(taskId, SyncStatus.Cancelled, FleetRuns.Wait);
        var execution = await fleet.ExecutionAsync(taskId);
        Assert.Equal((SyncStatus.Cancelled, "CANCELLED", 12, 0), (execution.Status, execution.ErrorCode, execution.RecordsPublished, execution.RecordsProcessed));
        Assert.Equal(0, task["recordsProcessed"]!.GetValue<int>());
        await fleet.Wire.WaitUntilAsync(m => m.Any(x => x.Envelope.Type == EventNames.SyncCancelled && x.Data<SyncCancelled>().TaskId == taskId),
            FleetRuns.Wait, "integration.sync.cancelled");
        await FleetRuns.EventuallyAsync(() => fleet.TenantSlotsAsync().Result.Holders.Count == 0, "the slot to be freed");
        Assert.DoesNotContain(fleet.Wire.Messages, m => m.Envelope.Type == EventNames.SyncCompleted && m.Data<SyncCompleted>().TaskId == taskId);
    }
}
