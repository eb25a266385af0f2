using System.Net.Http.Json;
using System.Text.Json.Nodes;
using IntegrationSync.Shared.Sync;
using IntegrationSync.TestSupport.VendorFakes;
using static IntegrationSync.TestSupport.VendorFakes.FaultPlan;

namespace IntegrationSync.Fleet.Tests.Runner.Vendors;

[Collection(VendorFleet.Collection)]
public sealed class ApiCallsTests(VendorFleet fleet)
{
    [Fact]
    public async Task An_execution_shows_the_vendor_calls_its_reads_made_each_retry_counted()
    {
        await using var salesforce = await FakeSalesforce.StartAsync();
        salesforce.DefaultBatchSize = 10;
        salesforce.Seed(25);
        // The second page needs a second attempt: the vendor counts both.
        salesforce.Faults.Script(Serve, 503);
        var integrationId = await fleet.AddSalesforceAsync(salesforce);

        var taskId = await fleet.TriggerAsync(integrationId);
        await fleet.WaitForTaskAsync(taskId, SyncStatus.Completed, FleetRuns.Wait);
        var execution = await fleet.ExecutionAsync(taskId);
        var shown = await fleet.Api.GetFromJsonAsync<JsonObject>($"/api/v1/sync/executions/{execution.ExecutionId}");

        Assert.Equal(4, salesforce.Faults.Requests.Count);
        Assert.Equal((25, 4), (execution.RecordsPublished, execution.ApiCalls));
        Assert.Equal(4, shown!["statistics"]!["apiCalls"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_run_stops_before_passing_the_quota_share_of_the_orgs_daily_allocation_and_the_next_run_continues()
    {
        await using var salesforce = await FakeSalesforce.StartAsync();
        salesforce.DefaultBatchSize = 10;
        var opportunities = salesforce.Seed(45);
        salesforce.DailyApiLimit = 100;
        salesforce.ApiUsage = 78;
        var integrationId = await fleet.AddSalesforceAsync(salesforce);

        var first = await fleet.TriggerAsync(integrationId);
        await fleet.WaitForTaskAsync(first, SyncStatus.Completed, FleetRuns.Wait);
        var cut = await fleet.ExecutionAsync(first);
        // The org's other tools were quiet for a day.
        salesforce.ApiUsage = 0;
        var second = await fleet.TriggerAsync(integrationId);
        await fleet.WaitForTaskAsync(second, SyncStatus.Completed, FleetRuns.Wait);
        var rest = await fleet.ExecutionAsync(second);

        // Calls 79 and 80 of 100 answered; at 80 % (adapter_http.quota_share) the third is never sent.
        Assert.Equal((true, "quota_exhausted", 20, 2), (cut.Truncated, cut.TruncationReason, cut.RecordsPublished, cut.ApiCalls));
        Assert.Equal(opportunities[..20], fleet.PublishedIds(first).Order());
        Assert.Equal(cut.Cursor, rest.StartCursor);
        Assert.Equal((false, 25), (rest.Truncated, rest.RecordsPublished));
        Assert.Equal(opportunities[20..], fleet.PublishedIds(second).Order());
    }
}
