using System.Diagnostics.Metrics;
using IntegrationSync.Shared.Hosting;

namespace IntegrationSync.Deploy.Tests.Observability;

public sealed class MetricsCatalogueTests(ScrapedFleet fleet) : IClassFixture<ScrapedFleet>
{
    [Fact]
    public void Every_metric_the_dashboard_and_alerts_use_is_exported_or_a_documented_rabbitmq_metric()
    {
        var expressions = MetricReferences.DashboardExpressions().Concat(MetricReferences.AlertExpressions()).ToList();
        var unknown = MetricReferences.In(expressions)
            .Where(name => !fleet.SampleNames.Contains(name) && !MetricReferences.DocumentedRabbitMqMetrics.Contains(name))
            .Order()
            .ToList();

        Assert.True(expressions.Count > 20);
        Assert.All(expressions, e => Assert.True(MetricReferences.NamesAMetric(e), $"no known metric in: {e}"));
        Assert.True(unknown.Count == 0, "Neither exported at /metrics nor a documented RabbitMQ metric: " + string.Join(", ", unknown));
    }

    [Fact]
    public void Every_fleet_instrument_is_on_the_dashboard_under_its_prometheus_name()
    {
        var onDashboard = MetricReferences.In(MetricReferences.DashboardExpressions());
        var instruments = FleetInstruments();

        Assert.Equal(18, instruments.Count);
        Assert.All(instruments, instrument =>
        {
            var family = PrometheusFamily(instrument);
            Assert.Contains($"# TYPE {family} ", fleet.Exposition);
            Assert.True(onDashboard.Any(name => name == family || name.StartsWith(family + "_", StringComparison.Ordinal)),
                $"{instrument.Name} ({family}) is not on the dashboard");
        });
    }

    [Fact]
    public void Labels_are_the_bounded_sets_the_catalogue_names()
    {
        Assert.Contains("integration_sync_syncs_failed_total{", fleet.Exposition);
        Assert.Matches("integration_sync_syncs_failed_total\\{[^}]*error_code=\"ADAPTER_RATE_LIMITED\"", fleet.Exposition);
        Assert.Matches("integration_sync_adapter_rate_limited_total\\{[^}]*adapter=\"hubspot\"[^}]*\\} 1", fleet.Exposition);
        Assert.Matches("integration_sync_adapter_request_duration_seconds_count\\{[^}]*status_class=\"4xx\"", fleet.Exposition);
        Assert.Matches("integration_sync_adapter_calls_total\\{[^}]*api=\"bulk\"", fleet.Exposition);
        Assert.Matches("integration_sync_queue_depth\\{[^}]*queue=\"integration_sync.runner\"[^}]*\\} 3", fleet.Exposition);
        Assert.Matches("integration_sync_execution_duration_seconds_bucket\\{[^}]*le=\"3600\"", fleet.Exposition);
        Assert.DoesNotContain(fleet.Exposition.Split('\n'), l => l.StartsWith("integration_sync_records_", StringComparison.Ordinal) && l.Contains("tenant="));
        Assert.Contains(fleet.Exposition.Split('\n'), l => l.StartsWith("integration_sync_syncs_started_total", StringComparison.Ordinal) && l.Contains("tenant="));
    }

    /// <summary>Dots → underscores, the unit as a suffix (s → seconds; {annotations} dropped), counters <c>_total</c>.</summary>
    private static string PrometheusFamily(Instrument instrument)
    {
        var name = instrument.Name.Replace('.', '_');
        if (instrument.Unit == "s")
        {
            name += "_seconds";
        }
        return instrument.GetType().GetGenericTypeDefinition() == typeof(Counter<>) ? name + "_total" : name;
    }

    private static List<Instrument> FleetInstruments()
    {
        var instruments = new List<Instrument>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, _) =>
            {
                if (instrument.Meter.Name == FleetMetrics.MeterName)
                {
                    instruments.Add(instrument);
                }
            },
        };
        listener.Start();
        return instruments;
    }
}
