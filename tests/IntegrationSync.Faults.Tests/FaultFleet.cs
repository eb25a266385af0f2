using System.Net.Http.Json;
using System.Text.Json.Nodes;
using IntegrationSync.Faults.Tests.Processes;
using IntegrationSync.Shared.Configuration.Options;
using IntegrationSync.Shared.Storage;
using IntegrationSync.TestSupport;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Options;

namespace IntegrationSync.Faults.Tests;

/// <summary>
/// The fleet as dev-up starts it, every part a real OS process: a RabbitMQ broker and a Cosmos test server of the suite's
/// own, the Castiel peer stand-ins, two runners, event-consumer, token-refresher and the API, with quick leases and sweeps
/// so that recoveries take seconds. Scenarios kill, freeze and restart these processes for real.
/// </summary>
public sealed class FaultFleet : IAsyncLifetime
{
    public const string Exchange = "coder_events";
    public static readonly string Secret = "fault-suite-secret-0123456789abcdef-0123456789";

    private readonly string _work = Directory.CreateTempSubdirectory("integration-sync-faults.").FullName;
    private readonly Dictionary<string, string> _ports = [];
    private CosmosClient _cosmos = null!;

    public FaultBroker Broker { get; private set; } = null!;
    public FleetProcess Cosmos { get; private set; } = null!;
    public FleetProcess Peers { get; set; } = null!;
    public FleetProcess EventConsumer { get; set; } = null!;
    public List<FleetProcess> Runners { get; } = [];
    public List<FleetProcess> Others { get; } = [];
    public DurableTap Tap { get; private set; } = null!;
    public string CosmosEndpoint { get; private set; } = "";
    public HttpClient PeersHttp { get; private set; } = null!;
    public CosmosContainers Containers { get; private set; } = null!;
    public string ApiUrl => Url("sync-api");

    /// <summary>Quick enough that every recovery takes seconds: 1 s heartbeats and reaper, 5 s leases, 2 s completion sweeps.</summary>
    private static readonly Dictionary<string, string> Tuning = new()
    {
        ["RUNNER__HEARTBEAT_SECONDS"] = "1",
        ["RUNNER__LEASE_SECONDS"] = "5",
        ["RUNNER__REAPER_INTERVAL_SECONDS"] = "1",
        ["RUNNER__CHECKPOINT_INTERVAL_MS"] = "200",
        ["RUNNER__MAX_ATTEMPTS"] = "10",
        ["STATISTICS__SWEEP_INTERVAL_SECONDS"] = "2",
        ["COSMOS_DB__WRITE_RETRY_SECONDS"] = "120",
        ["RABBITMQ__PUBLISH_RECOVERY_SECONDS"] = "120",
        ["RABBITMQ__RETRY_DELAYS_MS__0"] = "200",
        ["RABBITMQ__RETRY_DELAYS_MS__1"] = "500",
        ["RABBITMQ__RETRY_DELAYS_MS__2"] = "1000",
        ["SYNC_MIN_INTERVAL_MINUTES"] = "0",
        ["SYNC_MAX_RECORDS"] = "1000000",
        ["SYNC_MAX_CONCURRENT_PER_TENANT"] = "10",
        ["SYNC_SCHEDULER_ENABLED"] = "false",
        ["TOKEN_REFRESH_ENABLED"] = "false",
        ["MAPPING_COMPLETION_TIMEOUT_SECONDS"] = "300",
        ["TELEMETRY__METRICS_EXPORTER"] = "prometheus",
    };

    public async Task InitializeAsync()
    {
        Broker = await FaultBroker.StartAsync(Path.Combine(_work, "rabbitmq"));
        var cosmosPort = Shell.FreePort();
        CosmosEndpoint = $"http://127.0.0.1:{cosmosPort}/";
        Cosmos = FleetProcess.Start("cosmos", "node", [Path.Combine(Repo.Root, "tools/cosmos/server.js"), "--port", cosmosPort.ToString()],
            new Dictionary<string, string>(), Repo.Root, _work);
        await WaitAsync(() => Answers(CosmosEndpoint), "the Cosmos test server");
        _cosmos = CosmosClientFactory.Create(CosmosOptions(), "fault-suite");
        Containers = new CosmosContainers(_cosmos, Options.Create(CosmosOptions()));
        Tap = await DurableTap.StartAsync(Broker.Url, Exchange);

        Peers = await StartAsync("castiel-peers", "tools/castiel-peers", "IntegrationSync.CastielPeers");
        PeersHttp = new HttpClient { BaseAddress = new Uri(Url("castiel-peers")) };
        Runners.Add(await StartAsync("sync-runner", "services/sync-runner", "IntegrationSync.SyncRunner"));
        Runners.Add(await StartAsync("sync-runner-2", "services/sync-runner", "IntegrationSync.SyncRunner"));
        EventConsumer = await StartAsync("event-consumer", "services/event-consumer", "IntegrationSync.EventConsumer");
        Others.Add(await StartAsync("token-refresher", "services/token-refresher", "IntegrationSync.TokenRefresher"));
        Others.Add(await StartAsync("sync-api", "services/sync-api", "IntegrationSync.SyncApi"));
    }

    /// <summary>Starts (or starts again, on its port) one process of the fleet and waits until it is ready.</summary>
    public async Task<FleetProcess> StartAsync(string name, string projectDirectory, string assembly, IReadOnlyDictionary<string, string>? extra = null)
    {
        var port = _ports.TryGetValue(name, out var known) ? known : (_ports[name] = Shell.FreePort().ToString());
        var environment = new Dictionary<string, string>(Tuning)
        {
            ["RABBITMQ_URL"] = Broker.Url,
            ["COSMOS_DB_ENDPOINT"] = CosmosEndpoint,
            ["COSMOS_DB_KEY"] = TestInfrastructure.CosmosKey,
            ["COSMOS_DB_CONNECTION_MODE"] = "gateway",
            ["COSMOS_DB_LIMIT_TO_ENDPOINT"] = "true",
            ["JWT_SECRET"] = Secret,
            ["PORT"] = port,
            ["HOST"] = "127.0.0.1",
            ["INTEGRATION_SYNC_CONFIG_DIR"] = Path.Combine(Repo.Root, "config"),
            ["WEBHOOKS__ALLOW_HTTP"] = "true",
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        };
        if (_ports.TryGetValue("castiel-peers", out var peers) && name != "castiel-peers")
        {
            foreach (var peer in new[] { "INTEGRATION_MANAGER_URL", "SECRET_MANAGEMENT_URL", "SHARD_MANAGER_URL" })
            {
                environment[peer] = $"http://127.0.0.1:{peers}";
            }
        }
        foreach (var (key, value) in extra ?? new Dictionary<string, string>())
        {
            environment[key] = value;
        }
        var process = FleetProcess.Start(name, "dotnet", [Repo.Assembly(projectDirectory, assembly)], environment,
            Path.Combine(Repo.Root, projectDirectory), _work);
        await WaitAsync(() => Answers($"{Url(name)}/health/ready"), $"{name} to be ready", process);
        return process;
    }

    /// <summary>Every runner killed and started again on its port, with <paramref name="extra"/> settings (null: the suite's own).</summary>
    public async Task RestartRunnersAsync(IReadOnlyDictionary<string, string>? extra)
    {
        var names = Runners.Select(r => r.Name).ToList();
        foreach (var runner in Runners)
        {
            await runner.KillAsync();
        }
        Runners.Clear();
        foreach (var name in names)
        {
            Runners.Add(await StartAsync(name, "services/sync-runner", "IntegrationSync.SyncRunner", extra));
        }
    }

    public string Url(string name) => $"http://127.0.0.1:{_ports[name]}";

    /// <summary>The sum of one counter's series on a process's Prometheus endpoint (0 when it has none yet).</summary>
    public async Task<double> CounterAsync(FleetProcess process, string name)
    {
        using var http = new HttpClient();
        var text = await http.GetStringAsync($"{Url(process.Name)}/metrics");
        // Sample lines: name{labels} value [timestamp], or name value [timestamp].
        return text.Split('\n').Where(line => line.StartsWith(name + "{", StringComparison.Ordinal) || line.StartsWith(name + " ", StringComparison.Ordinal))
            .Sum(line => double.Parse(line[(line.Contains('{') ? line.LastIndexOf('}') + 1 : name.Length)..].Trim().Split(' ')[0],
                System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>A tenant of its own for one scenario: a sample integration of <paramref name="count"/> records and an API client.</summary>
    public async Task<(string TenantId, string IntegrationId, HttpClient Api)> NewTenantAsync(int count, int pageSize, int pageDelayMs)
    {
        var (tenantId, integrationId) = (Guid.NewGuid().ToString(), Guid.NewGuid().ToString());
        (await PeersHttp.PutAsJsonAsync($"/_peers/integrations/{integrationId}", new JsonObject
        {
            ["id"] = integrationId, ["tenantId"] = tenantId, ["providerName"] = "sample", ["name"] = "fault suite", ["status"] = "connected",
            ["settings"] = new JsonObject { ["count"] = count, ["pageSize"] = pageSize, ["seed"] = 11, ["pageDelayMs"] = pageDelayMs },
            ["syncConfig"] = new JsonObject(),
        })).EnsureSuccessStatusCode();
        return (tenantId, integrationId, ApiFor(tenantId));
    }

    /// <summary>An API client signed in as a user of <paramref name="tenantId"/>.</summary>
    public HttpClient ApiFor(string tenantId)
    {
        var api = new HttpClient { BaseAddress = new Uri(ApiUrl) };
        api.DefaultRequestHeaders.Authorization = new("Bearer", TestTokens.UserToken(tenantId, Secret));
        api.DefaultRequestHeaders.Add("X-Tenant-ID", tenantId);
        return api;
    }

    /// <summary>The runner process that owns a running execution (its instance name carries its pid).</summary>
    public FleetProcess? RunnerNamed(string? instance) =>
        instance is null ? null : Runners.FirstOrDefault(r => instance.Contains($"-{r.Id}-", StringComparison.Ordinal));

    public static async Task WaitAsync(Func<Task<bool>> condition, string what, FleetProcess? process = null, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(120));
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline || process is { HasExited: true })
            {
                throw new TimeoutException($"Timed out waiting for {what}.{(process is null ? "" : $" Last lines of {process.Name}:\n{process.Tail()}")}");
            }
            await Task.Delay(100);
        }
    }

    private static async Task<bool> Answers(string url)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        try
        {
            return (await http.GetAsync(url)).IsSuccessStatusCode || url.EndsWith('/');
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    private CosmosDbOptions CosmosOptions() => new()
    {
        Endpoint = CosmosEndpoint, Key = TestInfrastructure.CosmosKey, ConnectionMode = "gateway", LimitToEndpoint = true,
    };

    public async Task DisposeAsync()
    {
        foreach (var process in Runners.Concat(Others).Append(EventConsumer).Append(Peers).Append(Cosmos).Where(p => p is not null))
        {
            await process.DisposeAsync();
        }
        await Tap.DisposeAsync();
        await Broker.DisposeAsync();
        PeersHttp?.Dispose();
        _cosmos?.Dispose();
        if (Environment.GetEnvironmentVariable("FAULTS_KEEP_LOGS") == "1")
        {
            Console.WriteLine($"Fault suite logs kept in {_work}");
            return;
        }
        try
        {
            Directory.Delete(_work, recursive: true);
        }
        catch (IOException)
        {
            // A log still being written; the temporary directory is cleaned by the system.
        }
    }
}
