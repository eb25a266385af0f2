using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using IntegrationSync.Shared.Contracts;
using IntegrationSync.Shared.Contracts.Events;

namespace IntegrationSync.Fleet.Tests;

public sealed class SampleSyncTests(FleetHarness fleet) : IClassFixture<FleetHarness>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Ten_records_go_out_as_single_events_and_the_task_completes_with_exact_counts()
    {
        var integrationId = await fleet.AddSampleIntegrationAsync(count: 10);

        var taskId = await TriggerAsync(integrationId);
        var task = await fleet.WaitForTaskAsync(taskId, "completed", Wait);

        var executionId = task["currentExecutionId"]!.GetValue<string>();
        await fleet.Wire.WaitUntilAsync(m => Completed(m, taskId).Count == 1, Wait, "integration.sync.completed");
        var started = Assert.Single(fleet.Wire.OfType(EventNames.SyncStarted), m => m.Data<SyncStarted>().TaskId == taskId);
        Assert.Equal((integrationId, "inbound"), (started.Data<SyncStarted>().IntegrationId, started.Data<SyncStarted>().Direction));

        var raw = fleet.Wire.OfType(EventNames.DataRaw).Where(m => m.Data<DataRaw>().SyncTaskId == taskId).ToList();
        Assert.Equal(10, raw.Count);
        Assert.DoesNotContain(fleet.Wire.OfType(EventNames.DataRawBatch), m => m.Data<DataRawBatch>().SyncTaskId == taskId);
        Assert.All(raw, m =>
        {
            var data = m.Data<DataRaw>();
            Assert.Equal((fleet.TenantId, integrationId, executionId, "opportunity"), (data.TenantId, data.IntegrationId, data.CorrelationId, data.EntityType));
            Assert.Equal($"{integrationId}-{data.ExternalId}-{taskId}", data.IdempotencyKey);
            Assert.Equal(executionId, m.Envelope.Metadata?.CorrelationId);
            Assert.Equal(fleet.TenantId, m.Envelope.TenantId);
            Assert.Equal(data.ExternalId, data.RawData!["id"]!.GetValue<string>());
        });
        Assert.Equal(10, raw.Select(m => m.Data<DataRaw>().ExternalId).Distinct().Count());

        var completed = Assert.Single(Completed(fleet.Wire.Messages, taskId)).Data<SyncCompleted>();
        Assert.Equal(new SyncCompleted(taskId, executionId, 10, 10, 0, 0), completed);
        Assert.Equal((10, 10, 0, 0), Counts(task));
    }

    [Fact]
    public async Task Two_hundred_fifty_records_go_out_in_batches_of_fifty()
    {
        var integrationId = await fleet.AddSampleIntegrationAsync(count: 250);

        var taskId = await TriggerAsync(integrationId);
        var task = await fleet.WaitForTaskAsync(taskId, "completed", Wait);

        await fleet.Wire.WaitUntilAsync(m => Completed(m, taskId).Count == 1, Wait, "integration.sync.completed");
        var batches = fleet.Wire.OfType(EventNames.DataRawBatch).Select(m => m.Data<DataRawBatch>()).Where(b => b.SyncTaskId == taskId).ToList();
        Assert.Equal([50, 50, 50, 50, 50], batches.Select(b => b.BatchSize));
        Assert.All(batches, b => Assert.Equal(b.BatchSize, b.Records.Count));
        Assert.Equal(250, batches.SelectMany(b => b.Records).Select(r => r.ExternalId).Distinct().Count());
        Assert.DoesNotContain(fleet.Wire.OfType(EventNames.DataRaw), m => m.Data<DataRaw>().SyncTaskId == taskId);
        Assert.Equal(250, fleet.Wire.OfType(EventNames.DataMapped).Count(m => m.Data<DataMapped>().SyncTaskId == taskId));
        Assert.Equal((250, 250, 0, 0), Counts(task));
        Assert.Equal(new SyncCompleted(taskId, task["currentExecutionId"]!.GetValue<string>(), 250, 250, 0, 0),
            Assert.Single(Completed(fleet.Wire.Messages, taskId)).Data<SyncCompleted>());
    }

    [Fact]
    public async Task A_sync_with_no_records_completes_at_once()
    {
        var integrationId = await fleet.AddSampleIntegrationAsync(count: 0);

        var taskId = await TriggerAsync(integrationId);
        var task = await fleet.WaitForTaskAsync(taskId, "completed", Wait);

        Assert.Equal((0, 0, 0, 0), Counts(task));
        await fleet.Wire.WaitUntilAsync(m => Completed(m, taskId).Count == 1, Wait, "integration.sync.completed");
    }

    [Fact]
    public async Task A_sync_over_the_record_limit_stops_at_the_limit()
    {
        var integrationId = await fleet.AddSampleIntegrationAsync(count: 1500, pageSize: 400);

        var taskId = await TriggerAsync(integrationId);
        var task = await fleet.WaitForTaskAsync(taskId, "completed", Wait);

        Assert.Equal((1000, 1000, 0, 0), Counts(task));
        Assert.Equal(1000, fleet.Wire.OfType(EventNames.DataRawBatch).Select(m => m.Data<DataRawBatch>())
            .Where(b => b.SyncTaskId == taskId).Sum(b => b.BatchSize));
    }

    [Fact]
    public async Task A_trigger_of_an_integration_integration_manager_does_not_know_is_a_404_and_creates_no_task()
    {
        var integrationId = Guid.NewGuid().ToString();

        var response = await fleet.Api.PostAsJsonAsync("/api/v1/sync/trigger", new { integrationId, direction = "inbound" });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("INTEGRATION_NOT_FOUND", (await response.Content.ReadFromJsonAsync<JsonObject>())!["error"]!["code"]!.GetValue<string>());
        var tasks = await fleet.Api.GetFromJsonAsync<JsonObject>($"/api/v1/sync/tasks?integrationId={integrationId}");
        Assert.Empty(tasks!["items"]!.AsArray());
    }

    [Fact]
    public async Task The_token_refresher_asks_for_expiring_connections_at_start()
    {
        await fleet.Wire.WaitUntilAsync(m => m.Any(x => x.Envelope.Type == EventNames.TokenCheckExpiring), Wait, "check-expiring");

        var check = fleet.Wire.OfType(EventNames.TokenCheckExpiring).First();
        var data = check.Data<TokenCheckExpiring>();
        Assert.Equal("system", check.Envelope.TenantId);
        Assert.Equal(TimeSpan.FromHours(1), IsoTime.Parse(data.ThresholdTime) - IsoTime.Parse(data.Timestamp));
    }

    private async Task<string> TriggerAsync(string integrationId)
    {
        var response = await fleet.Api.PostAsJsonAsync("/api/v1/sync/trigger", new { integrationId, direction = "inbound" });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal("pending", body!["status"]!.GetValue<string>());
        return body["taskId"]!.GetValue<string>();
    }

    private static List<TestSupport.WireMessage> Completed(IReadOnlyList<TestSupport.WireMessage> messages, string taskId) =>
        messages.Where(m => m.Envelope.Type == EventNames.SyncCompleted && m.Data<SyncCompleted>().TaskId == taskId).ToList();

    private static (int, int, int, int) Counts(JsonObject task) => (
        task["recordsProcessed"]!.GetValue<int>(), task["recordsCreated"]!.GetValue<int>(),
        task["recordsUpdated"]!.GetValue<int>(), task["recordsFailed"]!.GetValue<int>());
}
