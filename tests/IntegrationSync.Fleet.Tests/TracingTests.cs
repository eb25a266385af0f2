using System.Collections.Concurrent;
using System.Diagnostics;
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

    [Fact]
    public async Task The_sync_trace_holds_the_run_its_pages_their_publishes_the_mapping_results_received_and_the_completion()
    {
        using var spans = new SpanRecorder();
        var integrationId = await fleet.AddSampleIntegrationAsync(count: 150, pageSize: 50);
        var taskId = await fleet.TriggerAsync(integrationId);
        await fleet.WaitForTaskAsync(taskId, SyncStatus.Completed, FleetRuns.Wait);
        var completed = await fleet.CompletedAsync(taskId);
        var traceId = TraceId(fleet.Wire.OfType(EventNames.SyncCompleted).Single(m => m.Data<SyncCompleted>().TaskId == completed.TaskId));
        await FleetRuns.EventuallyAsync(() => spans.Of(traceId).Any(s => s.OperationName == "sync.completed"), "the completion span to end");

        var trace = spans.Of(traceId);
        var run = Assert.Single(trace, s => s.OperationName == "sync.run");
        Assert.Equal(completed.ExecutionId, run.GetTagItem("integration_sync.execution_id"));
        var pages = trace.Where(s => s.OperationName == "sync.page").ToList();
        Assert.All(pages, page => Assert.Equal(run.SpanId, page.ParentSpanId));
        Assert.Equal(150, pages.Sum(page => (int)page.GetTagItem("integration_sync.records")!));
        Assert.Contains(trace, s => s.OperationName == $"{EventNames.DataRawBatch} publish" && s.Kind == ActivityKind.Producer);
        Assert.Contains(trace, s => s.OperationName == $"{EventNames.DataMapped} receive" && s.Kind == ActivityKind.Consumer);
        Assert.Contains(trace, s => s.OperationName == $"{EventNames.SyncCompleted} publish" && s.Kind == ActivityKind.Producer);
    }

    /// <summary>Every span the fleet's sources end while it lives, as an in-memory exporter would see them.</summary>
    private sealed class SpanRecorder : IDisposable
    {
        private readonly ConcurrentQueue<Activity> _ended = new();
        private readonly ActivityListener _listener;

        public SpanRecorder()
        {
            _listener = new ActivityListener
            {
                ShouldListenTo = source => source.Name.StartsWith("IntegrationSync.", StringComparison.Ordinal),
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
                ActivityStopped = _ended.Enqueue,
            };
            ActivitySource.AddActivityListener(_listener);
        }

        public List<Activity> Of(string? traceId) => _ended.Where(a => a.TraceId.ToHexString() == traceId).ToList();

        public void Dispose() => _listener.Dispose();
    }

    private static string? Field(WireMessage message, string name) =>
        message.Envelope.Data.TryGetProperty(name, out var value) ? value.GetString() : null;

    private static string? TraceId(WireMessage message) =>
        message.Properties.Headers?.TryGetValue("traceparent", out var value) == true && HeaderValue.AsString(value) is { Length: 55 } header
            ? header[3..35]
            : null;
}
