using IntegrationSync.Shared.Contracts.Events;
using IntegrationSync.Shared.Sync;
using IntegrationSync.TestSupport.VendorFakes;
using static IntegrationSync.TestSupport.VendorFakes.FaultPlan;

namespace IntegrationSync.Fleet.Tests.Runner.Vendors;

/// <summary>Whole runs through the fleet against vendors that rate-limit and blip: every record still goes out exactly once.</summary>
[Collection(VendorFleet.Collection)]
public sealed class VendorOutageTests(VendorFleet fleet)
{
    [Fact]
    public async Task A_HubSpot_429_storm_on_several_pages_still_completes_with_every_record_published_once()
    {
        await using var hubspot = await FakeHubSpot.StartAsync();
        var deals = hubspot.Seed(45);
        // Five pages of ten; 429s with Retry-After before the first, third and fifth: eight in all, three in a row at most.
        hubspot.Faults.Script(429, 429, 429, Serve, Serve, 429, 429, Serve, Serve, 429, 429, 429, Serve);
        var integrationId = await fleet.AddHubSpotAsync(hubspot, pageSize: 10);

        var taskId = await fleet.TriggerAsync(integrationId);
        await fleet.WaitForTaskAsync(taskId, SyncStatus.Completed, FleetRuns.Wait);

        Assert.Equal(deals.Order(), fleet.PublishedIds(taskId).Order());
        Assert.Equal((8, 0), (hubspot.Faults.Rejected429, hubspot.Faults.EarlyRetries));
        Assert.Equal(45, (await fleet.CompletedAsync(taskId)).RecordsProcessed);
        var execution = await fleet.ExecutionAsync(taskId);
        Assert.Equal((SyncStatus.Completed, 1, 45, 45, false), (execution.Status, execution.Attempt, execution.RecordsPublished, execution.RecordsCreated, execution.Truncated));
    }

    [Fact]
    public async Task Salesforce_5xx_blips_on_some_pages_still_complete_with_every_record_published_once()
    {
        await using var salesforce = await FakeSalesforce.StartAsync();
        salesforce.DefaultBatchSize = 10;
        var opportunities = salesforce.Seed(45);
        salesforce.Faults.Script(Serve, 500, Serve, Serve, 503, 503, Serve, Serve);
        var integrationId = await fleet.AddSalesforceAsync(salesforce);

        var taskId = await fleet.TriggerAsync(integrationId);
        await fleet.WaitForTaskAsync(taskId, SyncStatus.Completed, FleetRuns.Wait);

        Assert.Equal(opportunities.Order(), fleet.PublishedIds(taskId).Order());
        Assert.Equal(3, salesforce.Faults.Rejected5xx);
        Assert.Equal(new SyncCompleted(taskId, (await fleet.ExecutionAsync(taskId)).ExecutionId, 45, 45, 0, 0), await fleet.CompletedAsync(taskId));
    }
}
