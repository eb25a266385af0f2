using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace IntegrationSync.Shared.Configuration.Options;

public sealed class TelemetryOptions
{
    public const string Section = "telemetry";

    /// <summary>
    /// Where metrics go: <c>otlp</c> (pushed to <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> when it is set), <c>prometheus</c>
    /// (scraped at <c>/metrics</c>), <c>both</c>, or <c>none</c>. Traces go to the OTLP endpoint whenever it is set.
    /// </summary>
    [ConfigurationKeyName("metrics_exporter"), Required,
     RegularExpression("^(otlp|prometheus|both|none)$", ErrorMessage = "must be 'otlp', 'prometheus', 'both' or 'none'")]
    public string MetricsExporter { get; set; } = "otlp";

    /// <summary>Distinct tenants that get their own <c>tenant</c> label on the per-sync metrics; later ones share <c>other</c> (0: no tenant label).</summary>
    [ConfigurationKeyName("tenant_label_limit"), Range(0, 10_000)]
    public int TenantLabelLimit { get; set; } = 100;

    public bool Prometheus => MetricsExporter is "prometheus" or "both";

    public bool Otlp => MetricsExporter is "otlp" or "both";
}
