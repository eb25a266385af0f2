using IntegrationSync.Shared.Sync;
using IntegrationSync.TestSupport.VendorFakes;

namespace IntegrationSync.Fleet.Tests.Runner.Vendors;

[Collection(VendorFleet.Collection)]
public sealed class QuotaExhaustionTests(VendorFleet fleet)
{
    [Fact]
    public async Task A_run_that_exhausts_the_Salesforce_quota_ends_early_at_its_checkpoint_and_the_next_run_continues_from_there()
    {
        await using var salesforce = await FakeSalesforce.StartAsync();
        salesforce.DefaultBatchSize = 10;
        var opportunities = salesforce.Seed(45);
        salesforce.QuotaExhaustedAfterCalls = 3;
        var integrationId = await fleet.AddSalesforceAsync(salesforce);

        var first = await fleet.TriggerAsync(integrationId);
        await fleet.WaitForTaskAsync(first, SyncStatus.Completed, FleetRuns.Wait);
        var cut = await fleet.ExecutionAsync(first);
        // The org's 24-hour allocation frees up.
        salesforce.QuotaExhaustedAfterCalls = null;
        var second = await fleet.TriggerAsync(integrationId);
        await fleet.WaitForTaskAsync(second, SyncStatus.Completed, FleetRuns.Wait);
        var rest = await fleet.ExecutionAsync(second);

        Assert.Equal((true, "quota_exhausted", 30), (cut.Truncated, cut.TruncationReason, cut.RecordsPublished));
        Assert.NotNull(cut.Cursor);
        Assert.Equal(opportunities[..30], fleet.PublishedIds(first).Order());
        Assert.Equal(30, (await fleet.CompletedAsync(first)).RecordsProcessed);
        Assert.Equal(cut.Cursor, rest.StartCursor);
        Assert.False(rest.Truncated);
        // At-least-once is allowed on the page the quota cut, so the second run may repeat that one; no earlier one, and nothing is missing.
        var continued = fleet.PublishedIds(second);
        Assert.Empty(continued.Intersect(opportunities[..20]));
        Assert.Equal(continued.Count, continued.Distinct().Count());
        Assert.Equal(opportunities, fleet.PublishedIds(first).Concat(continued).Distinct().Order());
    }
}
