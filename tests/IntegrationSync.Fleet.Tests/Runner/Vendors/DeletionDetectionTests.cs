using IntegrationSync.Shared.Sync;
using IntegrationSync.TestSupport.VendorFakes;

namespace IntegrationSync.Fleet.Tests.Runner.Vendors;

[Collection(VendorFleet.Collection)]
public sealed class DeletionDetectionTests(VendorFleet fleet)
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_Dynamics_sync_after_a_full_one_follows_its_delta_link_publishes_only_the_changes_and_counts_the_deletions_it_was_told_of()
    {
        await using var dynamics = await FakeDynamics.StartAsync();
        var ids = Enumerable.Range(0, 12).Select(i => (string)dynamics.Add($"Account {i}", T0.AddSeconds(i))["accountid"]!).ToList();
        var integrationId = await fleet.AddDynamicsAsync(dynamics, pageSize: 5);

        var full = await fleet.TriggerAsync(integrationId, "account");
        await fleet.WaitForTaskAsync(full, SyncStatus.Completed, FleetRuns.Wait);
        dynamics.Delete(ids[3]);
        dynamics.Delete(ids[7]);
        var added = (string)dynamics.Add("Added", T0.AddDays(1))["accountid"]!;
        var incremental = await fleet.TriggerAsync(integrationId, "account");
        await fleet.WaitForTaskAsync(incremental, SyncStatus.Completed, FleetRuns.Wait);
        var execution = await fleet.ExecutionAsync(incremental);

        Assert.Equal(ids.Order(StringComparer.Ordinal), fleet.PublishedIds(full).Order(StringComparer.Ordinal));
        Assert.Equal([added], fleet.PublishedIds(incremental));
        Assert.Contains("$deltatoken=", execution.StartCursor);
        Assert.Equal((1, 1), (execution.RecordsPublished, execution.ApiCalls));
        // No shard was ever made of these accounts here (no mapper in this fleet): nothing in Castiel to delete.
        Assert.Equal(new ExecutionDeletions(2, Missed: null, Unlinked: 2), execution.Deletions);
    }
}
