using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using IntegrationSync.Bench.Support;
using IntegrationSync.TestSupport;
using Microsoft.AspNetCore.Builder;

namespace IntegrationSync.Bench.SyncLatency;

/// <summary>
/// The whole fleet in this process, as the fleet tests run it: the four hosts and the peers stand-in (its mapper answers
/// every record) on loopback, one exchange and one Cosmos database of their own. Limits are raised so one sync may carry
/// the largest sample (<c>sync_limits.max_records_per_sync</c>, <c>min_interval_minutes</c> 0), and the timers that work for
/// the whole fleet rather than for a sync (scheduler, token expiry, reaper, deferred triggers, completion sweep) are slowed
/// to an hour, the webhook deliveries' poll to its longest (a minute), so that what is counted during a sync is that sync's work.
/// </summary>
public sealed class BenchFleet : IAsyncDisposable
{
    private static readonly int[] RetryDelaysMs = [200, 500, 1000]; // TestHost.Args's

    private readonly List<WebApplication> _apps = [];
    private readonly string _url;
    private readonly CosmosTestDatabase _database = CosmosTestDatabase.Named(TestInfrastructure.UniqueName("benchsyncdb"));

    private BenchFleet(string url) => _url = url;

    public string Exchange { get; } = TestInfrastructure.UniqueName("benchsync");
    public string TenantId { get; } = Guid.NewGuid().ToString();
    public HttpClient Api { get; private set; } = null!;
    private HttpClient Peers { get; set; } = null!;
    private string MapperQueue => $"{Exchange}.mapper";

    public static async Task<BenchFleet> StartAsync(string url, int maxRecordsPerSync)
    {
        var fleet = new BenchFleet(url);
        await fleet._database.InitializeAsync();
        var peers = await fleet.StartAsync(IntegrationSync.CastielPeers.Program.Build, $"--peers:mapper:queue={fleet.MapperQueue}");
        fleet.Peers = new HttpClient { BaseAddress = new Uri(peers) };
        string[] services =
        [
            $"--services:integration_manager:url={peers}", $"--services:secret_management:url={peers}",
            $"--sync_limits:max_records_per_sync={maxRecordsPerSync}", "--sync_limits:min_interval_minutes=0",
            "--sync_scheduler:enabled=false", "--token_refresh:enabled=false", "--runner:reaper_interval_seconds=3600",
            "--runner:deferred_check_seconds=3600", "--statistics:sweep_interval_seconds=3600",
            "--webhooks:delivery:poll_interval_ms=60000",
        ];
        await fleet.StartAsync(IntegrationSync.SyncRunner.Program.Build, services);
        await fleet.StartAsync(IntegrationSync.EventConsumer.Program.Build, services);
        await fleet.StartAsync(IntegrationSync.TokenRefresher.Program.Build, services);
        fleet.Api = new HttpClient { BaseAddress = new Uri(await fleet.StartAsync(IntegrationSync.SyncApi.Program.Build, services)) };
        fleet.Api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.UserToken(fleet.TenantId, TestInfrastructure.JwtSecret));
        fleet.Api.DefaultRequestHeaders.Add("X-Tenant-ID", fleet.TenantId);
        return fleet;
    }

    /// <summary>A <c>sample</c> integration of <paramref name="records"/> records in the integration-manager stand-in.</summary>
    public async Task<string> AddSampleIntegrationAsync(int records, int pageSize)
    {
        var id = Guid.NewGuid().ToString();
        (await Peers.PutAsJsonAsync($"/_peers/integrations/{id}", new JsonObject
        {
            ["tenantId"] = TenantId, ["providerName"] = "sample", ["name"] = "bench", ["status"] = "connected",
            ["settings"] = new JsonObject { ["count"] = records, ["pageSize"] = pageSize, ["seed"] = 1 },
        })).EnsureSuccessStatusCode();
        return id;
    }

    private async Task<string> StartAsync(Func<string[], WebApplication> build, params string[] args)
    {
        var (app, address) = await TestHost.StartAsync(build, TestHost.Args(_url, Exchange, _database.Options.DatabaseId, ["--logging:level=Error", .. args]));
        _apps.Add(app);
        return address;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var app in Enumerable.Reverse(_apps))
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
        await _database.DisposeAsync();
        await BrokerCleanup.DeleteAsync(_url, Exchange, RetryDelaysMs, MapperQueue);
        Api?.Dispose();
        Peers?.Dispose();
    }
}
