using System.Text.Json.Nodes;
using IntegrationSync.Shared.Hosting;
using IntegrationSync.Shared.Messaging;
using IntegrationSync.Shared.Peers;
using IntegrationSync.SyncRunner.Adapters;
using IntegrationSync.SyncRunner.Adapters.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationSync.SyncRunner.Tests.Fakes;

/// <summary>
/// The runner's adapter registration (<c>AddAdapters</c>) with retry delays short enough for tests; loopback, where the
/// vendor fakes listen, is allow-listed unless <c>allowLoopback</c> is false. The page size cap is lifted unless given,
/// so each fake's own default page size shows.
/// </summary>
public static class AdapterServices
{
    public const string JwtSecret = "integration-sync-adapter-tests-secret-0123456789";

    /// <param name="options">More configuration, e.g. <c>adapter_http:salesforce_bulk_threshold</c>.</param>
    public static ServiceProvider Build(string? integrationManagerUrl = null, string? secretManagementUrl = null, int maxRetries = 3, int attemptTimeoutSeconds = 10,
        bool allowLoopback = true, int maxPageSize = 10_000, int maxResponseBytes = 4 * 1024 * 1024, IReadOnlyDictionary<string, string?>? options = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["adapter_http:max_page_size"] = maxPageSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["adapter_http:max_response_bytes"] = maxResponseBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["services:integration_manager:url"] = integrationManagerUrl ?? "http://127.0.0.1:9",
            ["services:secret_management:url"] = secretManagementUrl ?? "http://127.0.0.1:9",
            ["jwt:secret"] = JwtSecret,
            ["adapter_http:max_retries"] = maxRetries.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["adapter_http:retry_delay_ms"] = "10",
            ["adapter_http:max_retry_after_seconds"] = "5",
            ["adapter_http:attempt_timeout_seconds"] = attemptTimeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["adapter_http:max_rate_limit_pause_ms"] = "2000",
        };
        if (allowLoopback)
        {
            settings["outbound:allowed_networks:0"] = "127.0.0.0/8";
        }
        foreach (var (key, value) in options ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(new ServiceIdentity("integration-sync-runner"));
        services.AddPeerClients();
        services.AddFleetMetrics();
        services.AddAdapters();
        return services.BuildServiceProvider();
    }

    public static TAdapter Adapter<TAdapter>(this ServiceProvider services) where TAdapter : ISyncAdapter =>
        services.GetServices<ISyncAdapter>().OfType<TAdapter>().Single();

    public static AdapterConnection Connection(string provider, JsonObject settings, JsonObject? credentials = null, string? tenantId = null) =>
        new(new IntegrationDescriptor(Guid.NewGuid().ToString(), provider, "test", "connected", null, settings, []),
            credentials is null ? AdapterCredentials.None : new AdapterCredentials(credentials), tenantId);

    public static async Task<List<RecordPage>> ReadAllAsync(this ISyncAdapter adapter, AdapterConnection connection, string entityType,
        string? cursor = null, JsonObject? filters = null, int? maxRecords = null, ReadMeter? meter = null)
    {
        var pages = new List<RecordPage>();
        var request = new AdapterReadRequest(connection, entityType, filters, cursor) { MaxRecords = maxRecords, Meter = meter ?? new ReadMeter() };
        await foreach (var page in adapter.ReadAsync(request, CancellationToken.None))
        {
            pages.Add(page);
        }
        return pages;
    }

    /// <summary>Reads until the adapter throws: the pages it gave before the failure, and the failure.</summary>
    public static async Task<(List<RecordPage> Pages, AdapterException Error)> ReadUntilFailureAsync(this ISyncAdapter adapter, AdapterConnection connection,
        string entityType, string? cursor = null)
    {
        var pages = new List<RecordPage>();
        var error = await Assert.ThrowsAsync<AdapterException>(async () =>
        {
            await foreach (var page in adapter.ReadAsync(new AdapterReadRequest(connection, entityType, null, cursor), CancellationToken.None))
            {
                pages.Add(page);
            }
        });
        return (pages, error);
    }

    public static List<string> Ids(this IEnumerable<RecordPage> pages) => pages.SelectMany(p => p.Records).Select(r => r.ExternalId).ToList();

    public static List<string> DeletedIds(this IEnumerable<RecordPage> pages) => pages.SelectMany(p => p.Deleted).Select(d => d.ExternalId).ToList();
}
