using IntegrationSync.Shared.Sync;
using IntegrationSync.TestSupport.VendorFakes;
using static IntegrationSync.TestSupport.VendorFakes.FaultPlan;

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

    [Fact]
    public async Task A_Retry_After_longer_than_a_run_waits_ends_it_early_at_its_checkpoint_and_the_next_run_continues_from_there()
    {
        await using var hubspot = await FakeHubSpot.StartAsync();
        var deals = hubspot.Seed(25);
        // An hour: longer than adapter_http waits in a request and than the run waits for a page.
        hubspot.Faults.RetryAfterSeconds = 3600;
        hubspot.Faults.Script(Serve, 429);
        var integrationId = await fleet.AddHubSpotAsync(hubspot, pageSize: 10);

        var first = await fleet.TriggerAsync(integrationId);
        await fleet.WaitForTaskAsync(first, SyncStatus.Completed, FleetRuns.Wait);
        var cut = await fleet.ExecutionAsync(first);
        var requestsOfFirst = hubspot.Faults.Requests.Count;
        var second = await fleet.TriggerAsync(integrationId);
        await fleet.WaitForTaskAsync(second, SyncStatus.Completed, FleetRuns.Wait);
        var rest = await fleet.ExecutionAsync(second);

        Assert.Equal((true, "retry_after", 10), (cut.Truncated, cut.TruncationReason, cut.RecordsPublished));
        Assert.Equal(2, requestsOfFirst);
        Assert.Equal(deals[..10], fleet.PublishedIds(first).Order());
        Assert.Equal(cut.Cursor, rest.StartCursor);
        Assert.Equal((false, 15), (rest.Truncated, rest.RecordsPublished));
        Assert.Equal(deals[10..], fleet.PublishedIds(second).Order());
    }

    [Fact]
    public async Task The_HubSpot_daily_limit_ends_the_run_early_after_one_request_for_the_page()
    {
        await using var hubspot = await FakeHubSpot.StartAsync();
        var deals = hubspot.Seed(25);
        hubspot.DailyLimitAfterCalls = 1;
        var integrationId = await fleet.AddHubSpotAsync(hubspot, pageSize: 10);

        var taskId = await fleet.TriggerAsync(integrationId);
        await fleet.WaitForTaskAsync(taskId, SyncStatus.Completed, FleetRuns.Wait);

        var execution = await fleet.ExecutionAsync(taskId);
        Assert.Equal((true, "quota_exhausted", 10), (execution.Truncated, execution.TruncationReason, execution.RecordsPublished));
        Assert.Equal(deals[..10], fleet.PublishedIds(taskId).Order());
        // The first page, then one call that met the daily limit: no retries spent on an account out of quota.
        Assert.Equal(2, hubspot.Faults.Requests.Count);
    }
}
