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

    [Fact]
    public async Task A_HubSpot_429_storm_longer_than_the_request_retries_is_waited_out_by_the_run_which_completes_with_every_record_once()
    {
        await using var hubspot = await FakeHubSpot.StartAsync();
        var deals = hubspot.Seed(25);
        // The second page: seven 429s in a row, two more than one request's attempts.
        hubspot.Faults.Script([Serve, .. Enumerable.Repeat(429, VendorFleet.RequestAttempts + 2)]);
        var integrationId = await fleet.AddHubSpotAsync(hubspot, pageSize: 10);

        var taskId = await fleet.TriggerAsync(integrationId);
        await fleet.WaitForTaskAsync(taskId, SyncStatus.Completed, FleetRuns.Wait);

        Assert.Equal(deals.Order(), fleet.PublishedIds(taskId).Order());
        Assert.Equal((VendorFleet.RequestAttempts + 2, 0), (hubspot.Faults.Rejected429, hubspot.Faults.EarlyRetries));
        var execution = await fleet.ExecutionAsync(taskId);
        Assert.Equal((SyncStatus.Completed, 1, 25, false), (execution.Status, execution.Attempt, execution.RecordsPublished, execution.Truncated));
    }

    [Fact]
    public async Task A_Salesforce_5xx_outage_longer_than_the_request_retries_is_waited_out_and_the_run_completes()
    {
        await using var salesforce = await FakeSalesforce.StartAsync();
        salesforce.DefaultBatchSize = 10;
        var opportunities = salesforce.Seed(25);
        salesforce.Faults.Script([Serve, .. Enumerable.Repeat(503, 2 * VendorFleet.RequestAttempts + 1)]);
        var integrationId = await fleet.AddSalesforceAsync(salesforce);

        var taskId = await fleet.TriggerAsync(integrationId);
        await fleet.WaitForTaskAsync(taskId, SyncStatus.Completed, FleetRuns.Wait);

        Assert.Equal(opportunities.Order(), fleet.PublishedIds(taskId).Order());
        Assert.Equal(2 * VendorFleet.RequestAttempts + 1, salesforce.Faults.Rejected5xx);
        Assert.Equal(new SyncCompleted(taskId, (await fleet.ExecutionAsync(taskId)).ExecutionId, 25, 25, 0, 0), await fleet.CompletedAsync(taskId));
    }

    [Fact]
    public async Task An_outage_longer_than_the_runs_retry_budget_fails_the_run_saying_how_long_the_vendor_was_unavailable()
    {
        await using var salesforce = await FakeSalesforce.StartAsync();
        salesforce.DefaultBatchSize = 10;
        salesforce.Seed(25);
        salesforce.Faults.ServerErrors(1000);
        var integrationId = await fleet.AddSalesforceAsync(salesforce);

        var taskId = await fleet.TriggerAsync(integrationId);
        var failed = await fleet.FailedAsync(taskId);

        Assert.Equal("ADAPTER_UNAVAILABLE", failed.ErrorCode);
        Assert.StartsWith($"salesforce stayed unavailable (5xx, timeouts or connection failures) for {1 + VendorFleet.PageRetries} attempts at the same page", failed.Error);
        Assert.Contains("503", failed.Error);
        // Every read of the page spent its request retries, and no read went beyond the page's budget.
        Assert.Equal((1 + VendorFleet.PageRetries) * VendorFleet.RequestAttempts, salesforce.Faults.Rejected5xx);
        var execution = await fleet.ExecutionAsync(taskId);
        Assert.Equal((SyncStatus.Failed, 1, 0, "ADAPTER_UNAVAILABLE"), (execution.Status, execution.Attempt, execution.RecordsPublished, execution.ErrorCode));
        Assert.Empty(fleet.PublishedIds(taskId));
    }
}
