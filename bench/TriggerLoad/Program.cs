using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using IntegrationSync.Bench.TriggerLoad;
using IntegrationSync.Shared.Configuration.Options;
using IntegrationSync.Shared.Contracts.Commands;
using IntegrationSync.Shared.Messaging;
using IntegrationSync.Shared.Storage;
using IntegrationSync.TestSupport.VendorFakes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using RabbitMQ.Client;

// Trigger throughput of sync-api (in process, real broker + Cosmos test server) next to the raw create rate of
// the same Cosmos server and the confirmed publish rate of the same broker, at the same concurrency.
// Usage: TriggerLoad [requests=2000] [workers=32] [min_interval_minutes=5]  (0 takes the min-interval gate out of the path)
// Needs RABBITMQ_URL, COSMOS_DB_ENDPOINT and COSMOS_DB_KEY (scripts/lib/test-env.sh: integration_sync_local_env).
var requests = args.Length > 0 ? int.Parse(args[0]) : 2000;
var workers = args.Length > 1 ? int.Parse(args[1]) : 32;
var minInterval = args.Length > 2 ? int.Parse(args[2]) : 5;
var rabbitUrl = Required("RABBITMQ_URL");
var cosmosEndpoint = Required("COSMOS_DB_ENDPOINT");
var cosmosKey = Required("COSMOS_DB_KEY");
var jwtSecret = Environment.GetEnvironmentVariable("JWT_SECRET") is { Length: >= 32 } s ? s : "trigger-load-bench-secret-0123456789abcdef";
var suffix = Guid.NewGuid().ToString("N")[..10];
var exchange = $"bench_{suffix}";

// The integration-manager stand-in every trigger checks its integration with (a loopback fake, as in the API tests).
await using var integrationManager = await FakeIntegrationManager.StartAsync(jwtSecret);
var app = IntegrationSync.SyncApi.Program.Build([
    $"--rabbitmq:url={rabbitUrl}", $"--rabbitmq:exchange={exchange}", $"--rabbitmq:queue_prefix={exchange}",
    $"--cosmos_db:endpoint={cosmosEndpoint}", $"--cosmos_db:key={cosmosKey}", $"--cosmos_db:database_id=benchdb_{suffix}",
    "--cosmos_db:connection_mode=gateway", "--cosmos_db:limit_to_endpoint=true",
    $"--jwt:secret={jwtSecret}", "--server:host=127.0.0.1", "--server:port=0", "--logging:level=Error",
    $"--sync_limits:min_interval_minutes={minInterval}",
    $"--services:integration_manager:url={integrationManager.BaseUrl}", "--api:trigger_rate_per_minute=0",
]);
await app.StartAsync();
try
{
    var tenant = Guid.NewGuid().ToString();
    using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = workers })
    {
        BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()),
    };
    http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token(tenant, jwtSecret));
    http.DefaultRequestHeaders.Add("X-Tenant-ID", tenant);

    // Distinct integrations, so the min-interval gate never refuses; every trigger stores a task and publishes confirmed.
    Func<int, Task<bool>> trigger = async _ =>
    {
        using var response = await http.PostAsJsonAsync("/api/v1/sync/trigger", new { integrationId = integrationManager.AddIntegration(tenant) });
        return response.StatusCode == HttpStatusCode.Accepted;
    };
    await LoadRun.RunAsync(Math.Min(200, requests), workers, trigger);
    var triggers = await LoadRun.RunAsync(requests, workers, trigger);

    var container = app.Services.GetRequiredService<CosmosContainers>().SyncState;
    Func<int, Task<bool>> create = async _ =>
    {
        var id = Guid.NewGuid().ToString();
        await container.CreateItemAsync(new { id, tenantId = tenant, type = "bench" }, new PartitionKey(tenant));
        return true;
    };
    await LoadRun.RunAsync(Math.Min(200, requests), workers, create);
    var creates = await LoadRun.RunAsync(requests, workers, create);

    var publisher = app.Services.GetRequiredService<IEventPublisher>();
    Func<int, Task<bool>> publish = async i =>
    {
        await publisher.PublishAsync(new SyncRequested(Guid.NewGuid().ToString(), Guid.NewGuid().ToString(), "inbound", null, null,
            DateTimeOffset.UtcNow.ToString("O")), tenant);
        return true;
    };
    var publishes = await LoadRun.RunAsync(requests, workers, publish);

    Console.WriteLine($"workers {workers}, requests {requests} (after {Math.Min(200, requests)} warm-up each), min interval {minInterval} min");
    Console.WriteLine($"POST /api/v1/sync/trigger : {triggers}");
    Console.WriteLine($"Cosmos raw CreateItemAsync: {creates}");
    Console.WriteLine($"Confirmed publish (runner queue): {publishes}");
    Console.WriteLine($"trigger rate / raw create rate = {triggers.PerSecond / creates.PerSecond:P0} "
        + (minInterval > 0
            ? "(a trigger is 3 Cosmos calls: min-interval window read (404 for a new integration) + create, task create; plus an integration-manager GET and one confirmed publish)"
            : "(a trigger is 1 Cosmos call, the task create, plus an integration-manager GET and one confirmed publish; the trigger rate limit is off)"));
}
finally
{
    await CleanUpAsync(app, rabbitUrl, exchange);
}

static string Required(string name) =>
    Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : throw new InvalidOperationException($"{name} is not set");

static string Token(string tenantId, string secret) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
{
    Claims = new Dictionary<string, object> { ["sub"] = Guid.NewGuid().ToString(), ["tenantId"] = tenantId, ["type"] = "access" },
    Expires = DateTime.UtcNow.AddHours(1),
    SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(System.Text.Encoding.UTF8.GetBytes(secret)), SecurityAlgorithms.HmacSha256),
});

// The bench's queues hold every work message it published, and its database every task: remove both.
static async Task CleanUpAsync(WebApplication app, string rabbitUrl, string exchange)
{
    var topology = app.Services.GetRequiredService<FleetTopology>();
    var delays = app.Services.GetRequiredService<IOptions<RabbitMqOptions>>().Value.RetryDelaysMs.Distinct();
    await using (var connection = await new ConnectionFactory { Uri = new Uri(rabbitUrl) }.CreateConnectionAsync())
    await using (var channel = await connection.CreateChannelAsync())
    {
        foreach (var queue in topology.Queues)
        {
            foreach (var name in delays.Select(queue.RetryQueue).Append(queue.Name).Append(queue.DeadLetterQueue))
            {
                await channel.QueueDeleteAsync(name);
            }
        }
        await channel.ExchangeDeleteAsync(exchange);
    }
    var options = app.Services.GetRequiredService<IOptions<CosmosDbOptions>>().Value;
    await app.Services.GetRequiredService<CosmosClient>().GetDatabase(options.DatabaseId).DeleteAsync();
    await app.StopAsync();
    await app.DisposeAsync();
}
