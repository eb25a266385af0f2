using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using IntegrationSync.Shared.Contracts;
using IntegrationSync.Shared.Contracts.Events;
using IntegrationSync.TestSupport;

namespace IntegrationSync.Fleet.Tests;

/// <summary>Records for the non-CRM processors: nobody answers them with a mapping result, and the run still completes.</summary>
public sealed class ForwardedRecordsTests(FleetHarness fleet) : IClassFixture<FleetHarness>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    private static readonly string[] ForwardedEvents =
        [EventNames.DocumentDetected, EventNames.EmailReceived, EventNames.MessageReceived, EventNames.MeetingCompleted, EventNames.CalendarEventCreated];

    [Fact]
    public async Task A_document_sync_completes_with_every_record_forwarded_and_no_mapping_result()
    {
        var integrationId = await fleet.AddSampleIntegrationAsync(count: 10);

        var taskId = await TriggerAsync(integrationId, "document");
        var task = await fleet.WaitForTaskAsync(taskId, "completed", Wait);

        var executionId = task["currentExecutionId"]!.GetValue<string>();
        await fleet.Wire.WaitUntilAsync(m => Completed(m, taskId).Count == 1, Wait, "integration.sync.completed");
        var documents = fleet.Wire.OfType(EventNames.DocumentDetected).Where(m => m.Data<DocumentDetected>().SyncTaskId == taskId).ToList();
        Assert.Equal(10, documents.Select(m => m.Data<DocumentDetected>().ExternalId).Distinct().Count());
        Assert.All(documents, m =>
        {
            var document = m.Data<DocumentDetected>();
            Assert.Equal((fleet.TenantId, integrationId, executionId, "sample"),
                (document.TenantId, document.IntegrationId, document.CorrelationId, document.IntegrationSource));
            Assert.Equal($"{integrationId}-{document.ExternalId}-{taskId}", document.IdempotencyKey);
            Assert.Equal((document.ExternalId, executionId), (document.DocumentId, m.Envelope.Metadata?.CorrelationId));
        });
        Assert.Empty(ForTask(EventNames.DataRaw, taskId));
        Assert.Empty(ForTask(EventNames.DataRawBatch, taskId));
        Assert.Empty(ForTask(EventNames.DataMapped, taskId));

        Assert.Equal(new SyncCompleted(taskId, executionId, 10, 0, 0, 0), Assert.Single(Completed(fleet.Wire.Messages, taskId)).Data<SyncCompleted>());
        Assert.Equal((10, 0, 0, 0), Counts(task));
        Assert.Equal((10, 10, 10, 0), await StatisticsAsync(executionId));
    }

    [Theory]
    [InlineData(12)]
    [InlineData(150)]
    public async Task A_mixed_run_sends_each_record_to_its_processor_and_completes_once_the_crm_results_are_in(int count)
    {
        var integrationId = await fleet.AddSampleIntegrationAsync(count);
        var perShape = count / 6;

        var taskId = await TriggerAsync(integrationId, "activity");
        var task = await fleet.WaitForTaskAsync(taskId, "completed", Wait);

        var executionId = task["currentExecutionId"]!.GetValue<string>();
        await fleet.Wire.WaitUntilAsync(m => Completed(m, taskId).Count == 1, Wait, "integration.sync.completed");
        var crmIds = ForTask(EventNames.DataRaw, taskId).Select(m => m.Data<DataRaw>().ExternalId)
            .Concat(ForTask(EventNames.DataRawBatch, taskId).SelectMany(m => m.Data<DataRawBatch>().Records).Select(r => r.ExternalId));
        Assert.Equal(Enumerable.Range(0, perShape).Select(i => $"sample-3-{i * 6:D7}").Order(), crmIds.Order());
        Assert.Equal(count > 100, ForTask(EventNames.DataRawBatch, taskId).Count > 0);
        Assert.All(ForwardedEvents, name => Assert.Equal(perShape, ForTask(name, taskId).Count));
        Assert.Equal(perShape, ForTask(EventNames.DataMapped, taskId).Count);

        var forwarded = count - perShape;
        Assert.Equal(new SyncCompleted(taskId, executionId, count, perShape, 0, 0), Assert.Single(Completed(fleet.Wire.Messages, taskId)).Data<SyncCompleted>());
        Assert.Equal((count, perShape, 0, 0), Counts(task));
        Assert.Equal((count, forwarded, count, perShape), await StatisticsAsync(executionId));
    }

    private async Task<string> TriggerAsync(string integrationId, string entityType)
    {
        var response = await fleet.Api.PostAsJsonAsync("/api/v1/sync/trigger", new { integrationId, direction = "inbound", entityType });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["taskId"]!.GetValue<string>();
    }

    /// <summary>Published, forwarded, processed, created, from the execution as the API shows it.</summary>
    private async Task<(int, int, int, int)> StatisticsAsync(string executionId)
    {
        var statistics = (await fleet.Api.GetFromJsonAsync<JsonObject>($"/api/v1/sync/executions/{executionId}"))!["statistics"]!;
        return (statistics["recordsPublished"]!.GetValue<int>(), statistics["recordsForwarded"]!.GetValue<int>(),
            statistics["recordsProcessed"]!.GetValue<int>(), statistics["recordsCreated"]!.GetValue<int>());
    }

    private List<WireMessage> ForTask(string type, string taskId) =>
        fleet.Wire.OfType(type).Where(m => m.Envelope.Data.GetProperty("syncTaskId").GetString() == taskId).ToList();

    private static List<WireMessage> Completed(IReadOnlyList<WireMessage> messages, string taskId) =>
        messages.Where(m => m.Envelope.Type == EventNames.SyncCompleted && m.Data<SyncCompleted>().TaskId == taskId).ToList();

    private static (int, int, int, int) Counts(JsonObject task) => (
        task["recordsProcessed"]!.GetValue<int>(), task["recordsCreated"]!.GetValue<int>(),
        task["recordsUpdated"]!.GetValue<int>(), task["recordsFailed"]!.GetValue<int>());
}
