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

    public string Exchange { get; } = TestInfrastructure.UniqueName("fleet");
    public string DatabaseId => Database.Options.DatabaseId;
    public CosmosTestDatabase Database { get; } = CosmosTestDatabase.Named(TestInfrastructure.UniqueName("fleetdb"));
    public List<WebApplication> Runners { get; } = [];
    public string TenantId { get; } = Guid.NewGuid().ToString();
    public string RabbitMqUrl { get; private set; } = "";
    public HttpClient Api { get; private set; } = null!;
    public HttpClient Peers { get; private set; } = null!;
    public WireTap Wire { get; private set; } = null!;

    protected virtual IEnumerable<string> ExtraArgs => [];

    protected virtual double MapperFailureRate => 0;

    protected virtual int RunnerCount => 1;

    public async Task InitializeAsync()
    {
        RabbitMqUrl = await TestInfrastructure.RabbitMqUrlAsync();
        await Database.InitializeAsync();
        Wire = await WireTap.StartAsync(RabbitMqUrl, Exchange);

        var peers = await StartAsync(IntegrationSync.CastielPeers.Program.Build, $"--peers:mapper:queue={Exchange}.mapper",
            $"--peers:mapper:failure_rate={MapperFailureRate.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
        Peers = new HttpClient { BaseAddress = new Uri(peers) };
        var services = $"--services:integration_manager:url={peers}";

        for (var i = 0; i < RunnerCount; i++)
        {
            await StartAsync(IntegrationSync.SyncRunner.Program.Build, services);
            Runners.Add(_apps[^1]);
        }
        await StartAsync(IntegrationSync.EventConsumer.Program.Build, services);
        await StartAsync(IntegrationSync.TokenRefresher.Program.Build, services);
        var api = await StartAsync(IntegrationSync.SyncApi.Program.Build, services);
        Api = new HttpClient { BaseAddress = new Uri(api) };
        Api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.UserToken(TenantId, TestInfrastructure.JwtSecret));
        Api.DefaultRequestHeaders.Add("X-Tenant-ID", TenantId);
    }

    private async Task<string> StartAsync(Func<string[], WebApplication> build, params string[] args)
    {
        var (app, address) = await TestHost.StartAsync(build, TestHost.Args(RabbitMqUrl, Exchange, DatabaseId, [.. args, .. ExtraArgs]));
        _apps.Add(app);
        return address;
    }

    /// <summary>An integration of the <c>sample</c> provider in the integration-manager stand-in.</summary>
    public async Task<string> AddSampleIntegrationAsync(int count, int pageSize = 100, int pageDelayMs = 0, JsonObject? syncConfig = null)
    {
        var id = Guid.NewGuid().ToString();
        var response = await Peers.PutAsJsonAsync($"/_peers/integrations/{id}", new JsonObject
        {
            ["tenantId"] = TenantId,
            ["providerName"] = "sample",
            ["name"] = "fleet test",
            ["status"] = "connected",
            ["settings"] = new JsonObject { ["count"] = count, ["pageSize"] = pageSize, ["seed"] = 3, ["pageDelayMs"] = pageDelayMs },
            ["syncConfig"] = syncConfig ?? [],
        });
        response.EnsureSuccessStatusCode();
        return id;
    }

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
    /// Stops a host; in a harness with <c>rabbitmq.shutdown_drain_seconds=0</c> it abandons its work at once, which is what
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
