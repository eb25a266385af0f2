using System.Net.Http.Json;
using System.Text.Json.Nodes;
using IntegrationSync.Shared.Contracts;
using IntegrationSync.Shared.Contracts.Events;

namespace IntegrationSync.Fleet.Tests;

public sealed class FailingMapperFleet : FleetHarness
{
    protected override double MapperFailureRate => 0.2;
}

public sealed class MappingFailureTests(FailingMapperFleet fleet) : IClassFixture<FailingMapperFleet>
{
    [Fact]
    public async Task Mapping_failures_are_counted_and_the_sync_still_completes_once()
    {
        var integrationId = await fleet.AddSampleIntegrationAsync(count: 250);
        var response = await fleet.Api.PostAsJsonAsync("/api/v1/sync/trigger", new { integrationId });
        var taskId = (await response.Content.ReadFromJsonAsync<JsonObject>())!["taskId"]!.GetValue<string>();

        var task = await fleet.WaitForTaskAsync(taskId, "completed", TimeSpan.FromSeconds(60));
        // The wire tap is one more consumer and may lag the event-consumer: wait until it has seen all 250 results.
        await fleet.Wire.WaitUntilAsync(m => m.Count(x => x.Envelope.Type == EventNames.DataMapped && x.Data<DataMapped>().SyncTaskId == taskId)
            + m.Count(x => x.Envelope.Type == EventNames.DataMappingFailed && x.Data<DataMappingFailed>().SyncTaskId == taskId) == 250,
            TimeSpan.FromSeconds(30), "all 250 mapping results");

        var failedOnWire = fleet.Wire.OfType(EventNames.DataMappingFailed).Count(m => m.Data<DataMappingFailed>().SyncTaskId == taskId);
        Assert.InRange(failedOnWire, 1, 249);
        Assert.Equal(failedOnWire, task["recordsFailed"]!.GetValue<int>());
        Assert.Equal(250 - failedOnWire, task["recordsCreated"]!.GetValue<int>());
        Assert.Equal(250, task["recordsProcessed"]!.GetValue<int>());
        await fleet.Wire.WaitUntilAsync(m => m.Any(x => x.Envelope.Type == EventNames.SyncCompleted), TimeSpan.FromSeconds(30), "completed");
        Assert.Single(fleet.Wire.OfType(EventNames.SyncCompleted), m => m.Data<SyncCompleted>().TaskId == taskId);
    }
}
