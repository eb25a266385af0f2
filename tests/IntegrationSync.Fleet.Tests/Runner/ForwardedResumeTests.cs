using IntegrationSync.Shared.Sync;

namespace IntegrationSync.Fleet.Tests.Runner;

/// <summary>A fleet of its own: the test stops one of its two runners.</summary>
public sealed class ForwardedResumeTests(TwoRunnerFleet fleet) : IClassFixture<TwoRunnerFleet>
{
    [Fact]
    public async Task A_mixed_run_resumed_after_its_runner_died_counts_its_forwarded_records_exactly()
    {
        var integrationId = await fleet.AddSampleIntegrationAsync(count: 3000, pageSize: 100, pageDelayMs: 150);
        var taskId = await fleet.TriggerAsync(integrationId, "activity");

        var running = await fleet.WaitForExecutionAsync(taskId, e => e.RecordsPublished >= 300);
        // The feed starts with a CRM record and has one in every six.
        Assert.Equal(running.RecordsPublished - (running.RecordsPublished + 5) / 6, running.RecordsForwarded);
        await fleet.StopHostAsync(fleet.RunnerOf(running));

        var task = await fleet.WaitForTaskAsync(taskId, SyncStatus.Completed, FleetRuns.Wait);
        var execution = await fleet.WaitForExecutionAsync(taskId, e => e.Status == SyncStatus.Completed);
        // Resumed at least once; on a loaded machine the survivor's lease may lapse too and the run be resumed again.
        Assert.True(execution.Attempt >= 2, $"attempt {execution.Attempt}");
        Assert.Equal((3000, 2500, 500, 3000), (execution.RecordsPublished, execution.RecordsForwarded, execution.RecordsCreated, execution.RecordsProcessed));
        Assert.Equal((3000, 500), (task["recordsProcessed"]!.GetValue<int>(), task["recordsCreated"]!.GetValue<int>()));
    }
}
