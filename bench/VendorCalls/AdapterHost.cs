using System.Globalization;
using System.Text.Json.Nodes;
using IntegrationSync.Shared.Hosting;
using IntegrationSync.Shared.Messaging;
using IntegrationSync.Shared.Peers;
using IntegrationSync.SyncRunner.Adapters;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationSync.Bench.VendorCalls;

/// <summary>
/// The runner's adapters as it registers them, with the options' defaults (environment variables override them, e.g.
/// <c>ADAPTER_HTTP__MAX_RESPONSE_BYTES</c>); only loopback is allow-listed (where the fakes listen).
/// </summary>
public static class AdapterHost
{
    public static ServiceProvider Build(ShiftedClock clock)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["outbound:allowed_networks:0"] = "127.0.0.0/8",
            ["services:integration_manager:url"] = "http://127.0.0.1:9",
            ["services:secret_management:url"] = "http://127.0.0.1:9",
            ["jwt:secret"] = "vendor-calls-bench-secret-0123456789abcdef",
        }).AddEnvironmentVariables().Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        services.AddSingleton<TimeProvider>(clock);
        services.AddSingleton(new ServiceIdentity("vendor-calls-bench"));
        services.AddPeerClients();
        services.AddFleetMetrics();
        services.AddAdapters();
        return services.BuildServiceProvider();
    }

    public static TAdapter Adapter<TAdapter>(this IServiceProvider services) where TAdapter : ISyncAdapter =>
        services.GetServices<ISyncAdapter>().OfType<TAdapter>().Single();

    public static AdapterConnection Connection(string provider, JsonObject settings, JsonObject credentials) =>
        new(new IntegrationDescriptor(Guid.NewGuid().ToString(), provider, "bench", "connected", null, settings, []), new AdapterCredentials(credentials));

    /// <summary>Reads to the end; the records read and the watermark the last page gave.</summary>
    public static async Task<(int Records, string? Watermark)> ReadAllAsync(this ISyncAdapter adapter, AdapterConnection connection, string entityType, string? cursor)
    {
        var (records, watermark) = (0, cursor);
        await foreach (var page in adapter.ReadAsync(new AdapterReadRequest(connection, entityType, null, cursor), CancellationToken.None))
        {
            records += page.Records.Count;
            watermark = page.Watermark ?? watermark;
        }
        return (records, watermark);
    }

    /// <summary>Text of about <paramref name="length"/> characters, different per record: what a description field holds.</summary>
    public static string Text(int seed, int length) =>
        string.Concat(Enumerable.Repeat($"note {seed.ToString(CultureInfo.InvariantCulture)} on the account's renewal; ", length / 30 + 1))[..length];
}

public sealed record ReadResult(string Adapter, string Read, int Records, int Calls)
{
    public double RecordsPerCall => Calls == 0 ? 0 : (double)Records / Calls;

    public double CallsPer10K => Records == 0 ? 0 : Calls * 10_000.0 / Records;
}
