using IntegrationSync.Fleet.Tests.Runner.Vendors;
using IntegrationSync.Shared.Contracts;
using IntegrationSync.Shared.Contracts.Commands;
using IntegrationSync.Shared.Contracts.Events;
using IntegrationSync.Shared.Sync;
using IntegrationSync.TestSupport.VendorFakes;

namespace IntegrationSync.Fleet.Tests.Runner;

public sealed class LostRunnerTests(LostRunnerFleet fleet) : IClassFixture<LostRunnerFleet>
{
    [Fact]
    public async Task An_execution_whose_runner_keeps_dying_is_resumed_up_to_max_attempts_then_failed_RUNNER_LOST_and_its_slot_freed()
    {
        await using var salesforce = await FakeSalesforce.StartAsync();
        salesforce.Seed(30);
        // The vendor never answers: whichever runner holds the execution is mid-read when it dies.
        salesforce.Faults.Hangs(int.MaxValue, TimeSpan.FromMinutes(10));
        var integrationId = await fleet.AddSalesforceAsync(salesforce);
        var taskId = await fleet.TriggerAsync(integrationId);

        for (var attempt = 1; attempt <= LostRunnerFleet.MaxAttempts; attempt++)
        {
            var running = await fleet.WaitForExecutionAsync(taskId, e => e.Attempt == attempt && e.RunnerInstance is not null);
            await FleetRuns.EventuallyAsync(() => salesforce.Faults.Hung >= attempt, $"attempt {attempt} reading from the vendor");
            var owner = fleet.RunnerOf(running);
            // A replacement first, so the fleet always has a runner to reap and resume.
            await fleet.StartRunnerAsync();
            await fleet.StopHostAsync(owner);
        }

        await fleet.WaitForTaskAsync(taskId, SyncStatus.Failed, FleetRuns.Wait);
        var failed = await fleet.FailedAsync(taskId);
        var execution = await fleet.ExecutionAsync(taskId);
        Assert.Equal(("RUNNER_LOST", execution.ExecutionId), (failed.ErrorCode, failed.ExecutionId));
        Assert.Equal((SyncStatus.Failed, LostRunnerFleet.MaxAttempts, "RUNNER_LOST"), (execution.Status, execution.Attempt, execution.ErrorCode));
        var resumes = fleet.Wire.OfType(EventNames.SyncRequested).Select(m => m.Data<SyncRequested>()).Where(r => r.ResumeExecutionId == execution.ExecutionId);
        Assert.Equal(LostRunnerFleet.MaxAttempts - 1, resumes.Count());
        // The slot is the lifecycle's last write, after the task's status.
        await FleetRuns.EventuallyAsync(() => fleet.TenantSlotsAsync().Result.Holders.Count == 0, "the slot to be freed");
        Assert.Empty((await fleet.TenantSlotsAsync()).Waiting);
    }
}
