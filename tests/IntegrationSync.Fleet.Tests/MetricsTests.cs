using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using IntegrationSync.Fleet.Tests.Runner;
using IntegrationSync.Shared.Hosting;
using IntegrationSync.Shared.Sync;

namespace IntegrationSync.Fleet.Tests;

/// <summary>Alone: the instruments are process-wide, and another test's sync would add to the counts.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MetricsCollection
{
    public const string Name = "metrics";
}

[Collection(MetricsCollection.Name)]
public sealed class MetricsTests(FleetHarness fleet) : IClassFixture<FleetHarness>, IDisposable
{
    private readonly ConcurrentQueue<(string Instrument, double Value, Dictionary<string, object?> Tags)> _measured = new();
    private readonly MeterListener _listener = new();

    [Fact]
    public async Task A_sync_is_measured_from_its_start_through_its_records_to_its_completion()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == FleetMetrics.MeterName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((i, value, tags, _) => Record(i, value, tags));
        _listener.SetMeasurementEventCallback<double>((i, value, tags, _) => Record(i, value, tags));
        _listener.Start();

        var integrationId = await fleet.AddSampleIntegrationAsync(count: 120, pageSize: 40);
        var taskId = await fleet.TriggerAsync(integrationId);
        await fleet.WaitForTaskAsync(taskId, SyncStatus.Completed, FleetRuns.Wait);
        await FleetRuns.EventuallyAsync(() => Sum("integration_sync.syncs.completed", Tenant) == 1, "the completion to be counted");

        Assert.Equal(1, Sum("integration_sync.syncs.started", t => Tenant(t) && Equals(t["adapter"], "sample") && Equals(t["trigger"], "api")));
        Assert.Equal(120, Sum("integration_sync.records.fetched", t => Equals(t["adapter"], "sample")));
        Assert.Equal(120, Sum("integration_sync.records.published", t => Equals(t["adapter"], "sample") && Equals(t["record_class"], "crm")));
        Assert.True(Sum("integration_sync.records.mapped", _ => true) >= 120);
        Assert.Contains(_measured, m => m.Instrument == "integration_sync.execution.duration" && Equals(m.Tags["outcome"], "completed"));
    }

    private bool Tenant(Dictionary<string, object?> tags) => Equals(tags.GetValueOrDefault("tenant"), fleet.TenantId);

    private double Sum(string instrument, Func<Dictionary<string, object?>, bool> where) =>
        _measured.Where(m => m.Instrument == instrument && where(m.Tags)).Sum(m => m.Value);

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var copy = new Dictionary<string, object?>();
        foreach (var tag in tags)
        {
            copy[tag.Key] = tag.Value;
        }
        _measured.Enqueue((instrument.Name, value, copy));
    }

    public void Dispose() => _listener.Dispose();
}
