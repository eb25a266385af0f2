using IntegrationSync.Shared.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationSync.Deploy.Tests.Observability;

/// <summary>
/// A host with the fleet's service defaults and the Prometheus exporter on loopback, every FleetMetrics instrument
/// recorded once and one HTTP request served, then scraped at /metrics: the names Prometheus really sees.
/// </summary>
public sealed class ScrapedFleet : IAsyncLifetime
{
    private WebApplication? _app;

    public string Exposition { get; private set; } = "";

    public IReadOnlySet<string> SampleNames { get; private set; } = new HashSet<string>();

    public async Task InitializeAsync()
    {
        string[] args = ["--telemetry:metrics_exporter=prometheus", "--server:host=127.0.0.1", "--server:port=0", "--logging:level=Warning"];
        var builder = WebApplication.CreateBuilder(args);
        builder.AddServiceDefaults("deploy-tests", args);
        _app = builder.Build();
        _app.MapGet("/api/v1/ping", () => "pong");
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();

        Record(_app.Services.GetRequiredService<FleetMetrics>());
        using var http = new HttpClient { BaseAddress = new Uri(address) };
        (await http.GetAsync("/api/v1/ping")).EnsureSuccessStatusCode();
        Exposition = await http.GetStringAsync("/metrics");
        SampleNames = Exposition.Split('\n')
            .Where(line => line.Length > 0 && line[0] != '#')
            .Select(line => line[..line.IndexOfAny(['{', ' '])])
            .ToHashSet(StringComparer.Ordinal);
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    private static void Record(FleetMetrics metrics)
    {
        var tenant = Guid.NewGuid().ToString();
        metrics.SyncStarted("salesforce", "inbound", "api", tenant);
        metrics.SyncCompleted("salesforce", "inbound", truncated: false, tenant);
        metrics.SyncFailed("hubspot", "inbound", "ADAPTER_RATE_LIMITED", tenant);
        metrics.ExecutionFinished("salesforce", "completed", TimeSpan.FromSeconds(42));
        metrics.RecordsFetched("salesforce", "crm", 100);
        metrics.RecordsPublished("salesforce", "crm", 100);
        metrics.RecordsMapped(98);
        metrics.RecordsFailed("mapping", 2);
        metrics.AdapterRequest("hubspot", "read_page", 200, TimeSpan.FromMilliseconds(120));
        metrics.AdapterRequest("hubspot", "read_page", 429, TimeSpan.FromMilliseconds(30));
        metrics.AdapterCall("salesforce", "bulk");
        metrics.ConflictDetected("salesforce", "manual");
        metrics.ConflictResolved("salesforce", "accept_remote");
        metrics.OutboundPush("salesforce", "pushed");
        metrics.WebhookDelivery("integration.sync.completed", "delivered");
        metrics.TokenRefresh("failed");
        metrics.ObserveQueues(() => [new QueueObservation("integration_sync.runner", 3, 1.5)]);
    }
}
