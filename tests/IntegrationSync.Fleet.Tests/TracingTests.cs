using IntegrationSync.Fleet.Tests.Runner;
using IntegrationSync.Shared.Contracts;
using IntegrationSync.Shared.Contracts.Events;
using IntegrationSync.Shared.Messaging;
using IntegrationSync.Shared.Sync;
using IntegrationSync.TestSupport;

namespace IntegrationSync.Fleet.Tests;

public sealed class TracingTests(FleetHarness fleet) : IClassFixture<FleetHarness>
{
    [Fact]
    public async Task One_sync_is_one_trace_from_the_trigger_through_every_record_and_mapping_result_to_its_completion()
    {
        var integrationId = await fleet.AddSampleIntegrationAsync(count: 150, pageSize: 50);
        var taskId = await fleet.TriggerAsync(integrationId);
        await fleet.WaitForTaskAsync(taskId, SyncStatus.Completed, FleetRuns.Wait);
        var completed = await fleet.CompletedAsync(taskId);

        var ofTheSync = fleet.Wire.Messages.Where(m => m.Envelope.Type switch
        {
            EventNames.SyncRequested or EventNames.SyncStarted or EventNames.SyncProcessing => Field(m, "taskId") == taskId,
            EventNames.DataRawBatch or EventNames.DataMapped => Field(m, "syncTaskId") == taskId,
            EventNames.SyncCompleted => m.Data<SyncCompleted>().TaskId == taskId,
            _ => false,
        }).ToList();

        Assert.Equal(
            [EventNames.DataMapped, EventNames.DataRawBatch, EventNames.SyncCompleted, EventNames.SyncProcessing, EventNames.SyncRequested, EventNames.SyncStarted],
            ofTheSync.Select(m => m.Envelope.Type).Distinct().Order(StringComparer.Ordinal));
        var traces = ofTheSync.Select(TraceId).Distinct().ToList();
        Assert.Single(traces);
        Assert.NotNull(traces[0]);
        Assert.Equal(traces[0], TraceId(fleet.Wire.OfType(EventNames.SyncCompleted).Single(m => m.Data<SyncCompleted>().TaskId == completed.TaskId)));
    }

    private static string? Field(WireMessage message, string name) =>
        message.Envelope.Data.TryGetProperty(name, out var value) ? value.GetString() : null;

    private static string? TraceId(WireMessage message) =>
        message.Properties.Headers?.TryGetValue("traceparent", out var value) == true && HeaderValue.AsString(value) is { Length: 55 } header
            ? header[3..35]
            : null;
}
