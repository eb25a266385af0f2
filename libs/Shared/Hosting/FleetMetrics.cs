using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using IntegrationSync.Shared.Configuration.Options;
using IntegrationSync.Shared.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace IntegrationSync.Shared.Hosting;

/// <summary>One queue as the fleet sees it: messages waiting, and how long the oldest one handled lately had waited.</summary>
public sealed record QueueObservation(string Queue, long Depth, double LagSeconds);

/// <summary>
/// The fleet's metric catalogue: one meter, each instrument with its unit and a closed label set. Label values are
/// ours, never free text: <c>adapter</c> (the runner's adapter names), <c>direction</c>, <c>trigger</c>,
/// <c>outcome</c>, <c>error_code</c> (the fleet's error codes), <c>record_class</c> (crm, document, email, message,
/// meeting, event), <c>queue</c> (the fleet's queues), <c>operation</c> and <c>status_class</c> (2xx…5xx, timeout), <c>api</c> (the vendor APIs the adapters use).
/// Cardinality: a tenant label only on the per-sync counters (one measurement per sync, not per record or request),
/// and only for the first <c>telemetry.tenant_label_limit</c> tenants a process sees; later tenants share "other",
/// so each such counter holds at most limit + 1 tenant values per label combination.
/// Prometheus names: dots become underscores, seconds get <c>_seconds</c>, counters <c>_total</c>.
/// </summary>
public sealed class FleetMetrics
{
    public const string MeterName = "IntegrationSync.Fleet";
    public const string OtherTenant = "other";

    private static readonly double[] ExecutionBuckets = [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 7200, 14400];
    private static readonly double[] RequestBuckets = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

    private readonly int _tenantLimit;
    private readonly ConcurrentDictionary<string, byte> _labelledTenants = new(StringComparer.Ordinal);
    private readonly Counter<long> _syncsStarted, _syncsCompleted, _syncsFailed;
    private readonly Histogram<double> _executionDuration, _adapterRequestDuration;
    private readonly Counter<long> _recordsFetched, _recordsPublished, _recordsMapped, _recordsFailed;
    private readonly Counter<long> _adapterCalls, _adapterRateLimited, _conflictsDetected, _conflictsResolved;
    private readonly Counter<long> _outboundPushes, _webhookDeliveries, _tokenRefreshes;
    private volatile Func<IReadOnlyCollection<QueueObservation>> _queues = () => [];

    public FleetMetrics(IMeterFactory meterFactory, IOptions<TelemetryOptions> options)
    {
        _tenantLimit = options.Value.TenantLabelLimit;
        var meter = meterFactory.Create(MeterName);

        _syncsStarted = meter.CreateCounter<long>("integration_sync.syncs.started", "{sync}", "Sync executions started (adapter, direction, trigger, tenant)");
        _syncsCompleted = meter.CreateCounter<long>("integration_sync.syncs.completed", "{sync}", "Sync executions completed (adapter, direction, truncated, tenant)");
        _syncsFailed = meter.CreateCounter<long>("integration_sync.syncs.failed", "{sync}", "Sync executions failed (adapter, direction, error_code, tenant)");
        _executionDuration = meter.CreateHistogram("integration_sync.execution.duration", "s",
            "From start to a final status, mapping included (adapter, outcome)", tags: null,
            new InstrumentAdvice<double> { HistogramBucketBoundaries = ExecutionBuckets });

        _recordsFetched = meter.CreateCounter<long>("integration_sync.records.fetched", "{record}", "Records read from vendors (adapter, record_class)");
        _recordsPublished = meter.CreateCounter<long>("integration_sync.records.published", "{record}", "Records published and confirmed by the broker (adapter, record_class)");
        _recordsMapped = meter.CreateCounter<long>("integration_sync.records.mapped", "{record}", "Mapping results counted as mapped");
        _recordsFailed = meter.CreateCounter<long>("integration_sync.records.failed", "{record}", "Records that failed (stage: fetch, publish, mapping)");

        _adapterRequestDuration = meter.CreateHistogram("integration_sync.adapter.request.duration", "s",
            "Vendor API calls, each attempt (adapter, operation, status_class)", tags: null,
            new InstrumentAdvice<double> { HistogramBucketBoundaries = RequestBuckets });
        _adapterRateLimited = meter.CreateCounter<long>("integration_sync.adapter.rate_limited", "{response}", "Vendor answers 429 (adapter, operation)");
        _adapterCalls = meter.CreateCounter<long>("integration_sync.adapter.calls", "{call}",
            "Vendor API calls, each attempt, as the vendor counts them against its quota (adapter, api: the vendor API used)");

        _conflictsDetected = meter.CreateCounter<long>("integration_sync.conflicts.detected", "{conflict}", "Outbound conflicts found (adapter, strategy)");
        _conflictsResolved = meter.CreateCounter<long>("integration_sync.conflicts.resolved", "{conflict}", "Conflicts resolved (adapter, resolution)");
        _outboundPushes = meter.CreateCounter<long>("integration_sync.outbound.pushes", "{push}", "Shard changes pushed to vendors (adapter, outcome)");
        _webhookDeliveries = meter.CreateCounter<long>("integration_sync.webhook.deliveries", "{delivery}", "Outbound webhook delivery attempts (event, outcome)");
        _tokenRefreshes = meter.CreateCounter<long>("integration_sync.token.refreshes", "{refresh}", "OAuth refresh calls (outcome: refreshed, failed)");

        meter.CreateObservableGauge("integration_sync.queue.depth", () => Observe(q => (long)q.Depth), "{message}",
            "Messages waiting in the fleet's queues, as read by the fleet (queue)");
        meter.CreateObservableGauge("integration_sync.consumer.lag", () => Observe(q => q.LagSeconds), "s",
            "How long the message handled last had waited in its queue (queue)");
    }

    /// <summary>Feeds the queue gauges; called on each collection, so it must return quickly (a cached reading).</summary>
    public void ObserveQueues(Func<IReadOnlyCollection<QueueObservation>> read) => _queues = read;

    public void SyncStarted(string adapter, string direction, string trigger, string tenantId) =>
        _syncsStarted.Add(1, new("adapter", adapter), new("direction", direction), new("trigger", trigger), new("tenant", Tenant(tenantId)));

    public void SyncCompleted(string adapter, string direction, bool truncated, string tenantId) =>
        _syncsCompleted.Add(1, new("adapter", adapter), new("direction", direction), new("truncated", truncated), new("tenant", Tenant(tenantId)));

    public void SyncFailed(string adapter, string direction, string errorCode, string tenantId) =>
        _syncsFailed.Add(1, new("adapter", adapter), new("direction", direction), new("error_code", errorCode), new("tenant", Tenant(tenantId)));

    /// <summary><paramref name="outcome"/>: completed, failed or cancelled.</summary>
    public void ExecutionFinished(string adapter, string outcome, TimeSpan duration) =>
        _executionDuration.Record(duration.TotalSeconds, new("adapter", adapter), new("outcome", outcome));

    public void RecordsFetched(string adapter, string recordClass, long count) =>
        _recordsFetched.Add(count, new("adapter", adapter), new("record_class", recordClass));

    public void RecordsPublished(string adapter, string recordClass, long count) =>
        _recordsPublished.Add(count, new("adapter", adapter), new("record_class", recordClass));

    public void RecordsMapped(long count) => _recordsMapped.Add(count);

    /// <summary><paramref name="stage"/>: fetch, publish or mapping.</summary>
    public void RecordsFailed(string stage, long count) => _recordsFailed.Add(count, new KeyValuePair<string, object?>("stage", stage));

    /// <summary>One attempt of a vendor call; <paramref name="statusCode"/> null for a timeout or a connection error.</summary>
    public void AdapterRequest(string adapter, string operation, int? statusCode, TimeSpan duration)
    {
        _adapterRequestDuration.Record(duration.TotalSeconds,
            new("adapter", adapter), new("operation", operation), new("status_class", StatusClass(statusCode)));
        if (statusCode == 429)
        {
            _adapterRateLimited.Add(1, new("adapter", adapter), new("operation", operation));
        }
    }

    /// <summary>One attempt of a vendor call through <paramref name="api"/> (the adapter's closed set: query, bulk, search, delta, …; other).</summary>
    public void AdapterCall(string adapter, string api) => _adapterCalls.Add(1, new("adapter", adapter), new("api", api));

    public void ConflictDetected(string adapter, string strategy) =>
        _conflictsDetected.Add(1, new("adapter", adapter), new("strategy", strategy));

    public void ConflictResolved(string adapter, string resolution) =>
        _conflictsResolved.Add(1, new("adapter", adapter), new("resolution", resolution));

    /// <summary><paramref name="outcome"/>: pushed, echo, conflict or failed.</summary>
    public void OutboundPush(string adapter, string outcome) =>
        _outboundPushes.Add(1, new("adapter", adapter), new("outcome", outcome));

    /// <summary><paramref name="eventType"/>: the fleet's event name; <paramref name="outcome"/>: delivered, retry or failed.</summary>
    public void WebhookDelivery(string eventType, string outcome) =>
        _webhookDeliveries.Add(1, new("event", eventType), new("outcome", outcome));

    /// <summary><paramref name="outcome"/>: refreshed or failed.</summary>
    public void TokenRefresh(string outcome) => _tokenRefreshes.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    private string Tenant(string tenantId)
    {
        var tenant = tenantId is "" ? "system" : tenantId;
        if (_labelledTenants.ContainsKey(tenant))
        {
            return tenant;
        }
        if (_labelledTenants.Count >= _tenantLimit)
        {
            return OtherTenant;
        }
        _labelledTenants.TryAdd(tenant, 0);
        return tenant;
    }

    private static string StatusClass(int? statusCode) => statusCode is { } code ? $"{code / 100}xx" : "timeout";

    private IEnumerable<Measurement<T>> Observe<T>(Func<QueueObservation, T> value) where T : struct =>
        _queues().Select(q => new Measurement<T>(value(q), new KeyValuePair<string, object?>("queue", q.Queue)));
}

public static class FleetMetricsRegistration
{
    /// <summary>The metric catalogue and its options (the exporters are the host's: <see cref="ServiceDefaults"/>).</summary>
    public static IServiceCollection AddFleetMetrics(this IServiceCollection services)
    {
        services.AddMetrics();
        services.AddValidatedOptions<TelemetryOptions>(TelemetryOptions.Section);
        services.AddSingleton<FleetMetrics>();
        return services;
    }
}
