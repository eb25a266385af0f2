using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using IntegrationSync.TestSupport;
using Microsoft.AspNetCore.Builder;

namespace IntegrationSync.Fleet.Tests;

/// <summary>
/// The four hosts and the peers stand-in, each the real application built by its own Program, on
/// loopback ports, sharing one broker exchange and one Cosmos database of their own.
/// </summary>
public class FleetHarness : IAsyncLifetime
{
    private readonly List<WebApplication> _apps = [];
    private string[] _services = [];

    public string Exchange { get; } = TestInfrastructure.UniqueName("fleet");
    public string DatabaseId => Database.Options.DatabaseId;
    public CosmosTestDatabase Database { get; protected init; } = CosmosTestDatabase.Named(TestInfrastructure.UniqueName("fleetdb"));
    public List<WebApplication> Runners { get; } = [];
    public string TenantId { get; } = Guid.NewGuid().ToString();
    public string RabbitMqUrl { get; private set; } = "";
    public HttpClient Api { get; private set; } = null!;
    public HttpClient Peers { get; private set; } = null!;
    public WireTap Wire { get; private set; } = null!;

    protected virtual IEnumerable<string> ExtraArgs => [];

    protected virtual double MapperFailureRate => 0;

    /// <summary>False: no mapping result ever comes back, so runs stay processing.</summary>
    protected virtual bool MapperEnabled => true;

    protected virtual int RunnerCount => 1;

    public async Task InitializeAsync()
    {
        RabbitMqUrl = await TestInfrastructure.RabbitMqUrlAsync();
        await Database.InitializeAsync();
        Wire = await WireTap.StartAsync(RabbitMqUrl, Exchange);

        var peers = await StartAsync(IntegrationSync.CastielPeers.Program.Build, $"--peers:mapper:queue={Exchange}.mapper", $"--peers:mapper:enabled={MapperEnabled}",
            $"--peers:mapper:failure_rate={MapperFailureRate.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
        Peers = new HttpClient { BaseAddress = new Uri(peers) };
        _services = [$"--services:integration_manager:url={peers}", $"--services:secret_management:url={peers}", $"--services:shard_manager:url={peers}"];

        for (var i = 0; i < RunnerCount; i++)
        {
            await StartRunnerAsync();
        }
        await StartAsync(IntegrationSync.EventConsumer.Program.Build, _services);
        await StartAsync(IntegrationSync.TokenRefresher.Program.Build, _services);
        var api = await StartAsync(IntegrationSync.SyncApi.Program.Build, _services);
        Api = new HttpClient { BaseAddress = new Uri(api) };
        Api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.UserToken(TenantId, TestInfrastructure.JwtSecret));
        Api.DefaultRequestHeaders.Add("X-Tenant-ID", TenantId);
    }

    /// <summary>One more sync-runner host in the fleet, e.g. to replace one that was stopped.</summary>
    public async Task StartRunnerAsync()
    {
        await StartAsync(IntegrationSync.SyncRunner.Program.Build, _services);
        Runners.Add(_apps[^1]);
    }

    private async Task<string> StartAsync(Func<string[], WebApplication> build, params string[] args)
    {
        var (app, address) = await TestHost.StartAsync(build, TestHost.Args(RabbitMqUrl, Exchange, DatabaseId, [.. args, .. ExtraArgs]));
        _apps.Add(app);
        return address;
    }

    /// <summary>An integration of the <c>sample</c> provider in the integration-manager stand-in.</summary>
    public Task<string> AddSampleIntegrationAsync(int count, int pageSize = 100, int pageDelayMs = 0, JsonObject? syncConfig = null) =>
        AddIntegrationAsync("sample", new JsonObject { ["count"] = count, ["pageSize"] = pageSize, ["seed"] = 3, ["pageDelayMs"] = pageDelayMs },
            syncConfig: syncConfig);

    /// <summary>An integration in the integration-manager stand-in; its credentials, when it names a secret, come from the secret-management stand-in.</summary>
    public async Task<string> AddIntegrationAsync(string provider, JsonObject settings, string? credentialSecretName = null, JsonObject? syncConfig = null)
    {
        var id = Guid.NewGuid().ToString();
        var integration = new JsonObject
        {
            ["tenantId"] = TenantId,
            ["providerName"] = provider,
            ["name"] = "fleet test",
            ["status"] = "connected",
            ["settings"] = settings,
            ["syncConfig"] = syncConfig ?? [],
        };
        if (credentialSecretName is not null)
        {
            integration["credentialSecretName"] = credentialSecretName;
        }
        (await Peers.PutAsJsonAsync($"/_peers/integrations/{id}", integration)).EnsureSuccessStatusCode();
        return id;
    }

    public async Task SetSecretAsync(string name, JsonObject value) =>
        (await Peers.PutAsJsonAsync($"/_peers/secrets/{name}", new JsonObject { ["value"] = value })).EnsureSuccessStatusCode();

    /// <summary>What the next successful refresh of the connection (by default the integration's id) stores as the integration's credentials.</summary>
    public async Task RefreshWillStoreAsync(string connectionId, JsonObject value) =>
        (await Peers.PutAsJsonAsync($"/_peers/refreshed-secrets/{connectionId}", new JsonObject { ["value"] = value })).EnsureSuccessStatusCode();

    public async Task<JsonObject> WaitForTaskAsync(string taskId, string status, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        JsonObject? task = null;
        while (DateTime.UtcNow < deadline)
        {
            task = await Api.GetFromJsonAsync<JsonObject>($"/api/v1/sync/tasks/{taskId}");
            if (task?["status"]?.GetValue<string>() == status)
            {
                return task;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"Task {taskId} did not reach '{status}': {task?.ToJsonString()}");
    }

    /// <summary>
    /// Stops a host; in a harness with <c>rabbitmq.shutdown_drain_seconds=0</c> and <c>runner.shutdown_grace_seconds=0</c> it abandons its work at once, which is what
    /// the rest of the fleet sees when a pod dies: no heartbeat, unfinished executions, unacknowledged messages.
    /// </summary>
    public async Task StopHostAsync(WebApplication app)
    {
        _apps.Remove(app);
        Runners.Remove(app);
        await app.StopAsync();
        await app.DisposeAsync();
    }

    public async Task DisposeAsync()
    {
        foreach (var app in Enumerable.Reverse(_apps))
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
        await Database.DisposeAsync();
        await Wire.DisposeAsync();
        Api?.Dispose();
        Peers?.Dispose();
    }
}
