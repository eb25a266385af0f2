using System.Text.Json.Nodes;
using IntegrationSync.Shared.Sync;
using IntegrationSync.TestSupport.VendorFakes;

namespace IntegrationSync.Fleet.Tests.Runner.Vendors;

public sealed class BulkResumeTests(BulkFleet fleet) : IClassFixture<BulkFleet>
{
    [Fact]
    public async Task A_Salesforce_sync_over_the_bulk_threshold_goes_through_one_job_and_a_runner_killed_inside_it_is_resumed_at_its_locator()
    {
        await using var salesforce = await FakeSalesforce.StartAsync();
        salesforce.DefaultBatchSize = 2000;
        var opportunities = salesforce.Seed(1800);
        // The job's third result set never comes to the first runner.
        salesforce.HangResultsRequest = 3;
        var integrationId = await fleet.AddSalesforceAsync(salesforce, new JsonObject { ["pageSize"] = 200 });

        var taskId = await fleet.TriggerAsync(integrationId);
        // Checkpointed inside the job once its second set was read: the REST batch of 200, then one set of 400.
        var inside = await fleet.WaitForExecutionAsync(taskId, e => e.RecordsPublished == 600 && e.Cursor?.StartsWith("bulk|query|", StringComparison.Ordinal) == true);
        var owner = fleet.RunnerOf(inside);
        await fleet.StartRunnerAsync();
        await fleet.StopHostAsync(owner);
        await fleet.WaitForTaskAsync(taskId, SyncStatus.Completed, FleetRuns.Wait);
        var execution = await fleet.ExecutionAsync(taskId);

        Assert.Equal((1800, 2), (execution.RecordsPublished, execution.Attempt));
        Assert.Equal(opportunities, fleet.PublishedIds(taskId).Distinct().Order());
        Assert.Single(salesforce.JobQueries);
        // The REST batch was read and the job looked at once: the resumed run went on at its checkpoint's locator (sets 2 to 4).
        Assert.Single(salesforce.Faults.Requests, r => r.StartsWith("GET /services/data/v60.0/query?", StringComparison.Ordinal));
        Assert.Single(salesforce.Faults.Requests, r => r.StartsWith("GET /services/data/v60.0/jobs/query/", StringComparison.Ordinal) && !r.Contains("/results"));
        Assert.Equal(3 + 3, salesforce.ResultsRequests);
    }
}
