using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using IntegrationSync.Bench.Support;
using IntegrationSync.Bench.Support.Cosmos;
using IntegrationSync.Bench.TriggerLoad;
using IntegrationSync.Shared.Configuration.Options;
using IntegrationSync.Shared.Contracts.Commands;
using IntegrationSync.Shared.Messaging;
using IntegrationSync.Shared.Storage;
using IntegrationSync.TestSupport;
using IntegrationSync.TestSupport.VendorFakes;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

// Trigger throughput of sync-api (in process, real broker + Cosmos test server) next to the raw create rate of
// the same Cosmos server and the confirmed publish rate of the same broker, at the same concurrency.
// Usage: TriggerLoad [requests=2000] [workers=32] [min_interval_minutes=5]  (0 takes the min-interval gate out of the path)
// Needs RABBITMQ_URL and COSMOS_DB_ENDPOINT on loopback; COSMOS_DB_KEY defaults to the test server's key.
// Each trigger is a tenant of its own (with its integration and token, made before the clock starts): no runner takes the
// tasks up, so a single tenant would meet sync_limits.max_pending_per_tenant after 100; many tenants is production's shape.
var requests = args.Length > 0 ? int.Parse(args[0]) : 2000;
var workers = args.Length > 1 ? int.Parse(args[1]) : 32;
var minInterval = args.Length > 2 ? int.Parse(args[2]) : 5;
var warmUp = Math.Min(200, requests);
var rabbitUrl = await LocalEndpoints.RabbitMqUrlAsync();
var cosmosEndpoint = LocalEndpoints.CosmosEndpoint;
var jwtSecret = TestInfrastructure.JwtSecret;
var suffix = Guid.NewGuid().ToString("N")[..10];
var exchange = $"bench_{suffix}";
using var cosmosRequests = CosmosRequestCounter.Start(cosmosEndpoint);

// The integration-manager stand-in every trigger checks its integration with (a loopback fake, as in the API tests).
await using var integrationManager = await FakeIntegrationManager.StartAsync(jwtSecret);
var app = IntegrationSync.SyncApi.Program.Build([
    $"--rabbitmq:url={rabbitUrl}", $"--rabbitmq:exchange={exchange}", $"--rabbitmq:queue_prefix={exchange}",
    $"--cosmos_db:endpoint={cosmosEndpoint}", $"--cosmos_db:key={LocalEndpoints.CosmosKey}", $"--cosmos_db:database_id=benchdb_{suffix}",
    "--cosmos_db:connection_mode=gateway", "--cosmos_db:limit_to_endpoint=true",
    $"--jwt:secret={jwtSecret}", "--server:host=127.0.0.1", "--server:port=0", "--logging:level=Error",
    $"--sync_limits:min_interval_minutes={minInterval}",
    $"--services:integration_manager:url={integrationManager.BaseUrl}", "--api:trigger_rate_per_minute=0",
]);
await app.StartAsync();
try
{
    using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = workers })
    {
        BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()),
    };
    var callers = Enumerable.Range(0, warmUp + requests).Select(_ =>
    {
        var tenant = Guid.NewGuid().ToString();
        return (Tenant: tenant, Token: TestTokens.UserToken(tenant, jwtSecret), IntegrationId: integrationManager.AddIntegration(tenant));
    }).ToArray();
    var refusals = new System.Collections.Concurrent.ConcurrentDictionary<HttpStatusCode, int>();
    Func<int, Task<bool>> TriggerFrom(int offset) => async i =>
    {
        var caller = callers[offset + i];
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/sync/trigger") { Content = JsonContent.Create(new { integrationId = caller.IntegrationId }) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", caller.Token);
        request.Headers.Add("X-Tenant-ID", caller.Tenant);
        using var response = await http.SendAsync(request);
        if (response.StatusCode != HttpStatusCode.Accepted)
        {
            refusals.AddOrUpdate(response.StatusCode, 1, (_, n) => n + 1);
        }
        return response.StatusCode == HttpStatusCode.Accepted;
    };
    await LoadRun.RunAsync(warmUp, workers, TriggerFrom(0));
    cosmosRequests.Take();
    var triggers = await LoadRun.RunAsync(requests, workers, TriggerFrom(warmUp));
    var perTrigger = cosmosRequests.Take().GroupBy(r => r.Description).ToDictionary(g => g.Key, g => Math.Round(g.Count() / (double)requests, 2));

    var container = app.Services.GetRequiredService<CosmosContainers>().SyncState;
    var tenant = callers[0].Tenant;
    Func<int, Task<bool>> create = async _ =>
    {
        var id = Guid.NewGuid().ToString();
        await container.CreateItemAsync(new { id, tenantId = tenant, type = "bench" }, new PartitionKey(tenant));
        return true;
    };
    await LoadRun.RunAsync(warmUp, workers, create);
    var creates = await LoadRun.RunAsync(requests, workers, create);

    var publisher = app.Services.GetRequiredService<IEventPublisher>();
    Func<int, Task<bool>> publish = async i =>
    {
        await publisher.PublishAsync(new SyncRequested(Guid.NewGuid().ToString(), Guid.NewGuid().ToString(), "inbound", null, null,
            DateTimeOffset.UtcNow.ToString("O")), tenant);
        return true;
    };
    var publishes = await LoadRun.RunAsync(requests, workers, publish);

    Console.WriteLine($"workers {workers}, requests {requests} (after {warmUp} warm-up each), min interval {minInterval} min");
    Console.WriteLine($"POST /api/v1/sync/trigger : {triggers}"
        + (refusals.IsEmpty ? "" : $" (refused: {string.Join(", ", refusals.Select(r => $"{(int)r.Key} ×{r.Value}"))})"));
    Console.WriteLine($"Cosmos raw CreateItemAsync: {creates}");
    Console.WriteLine($"Confirmed publish (runner queue): {publishes}");
    Console.WriteLine($"trigger rate / raw create rate = {triggers.PerSecond / creates.PerSecond:P0}; a trigger is "
        + $"{perTrigger.Values.Sum():F1} Cosmos requests ({string.Join(", ", perTrigger.Select(k => $"{k.Key} {k.Value}"))}), "
        + "an integration-manager GET and one confirmed publish; the trigger rate limit is off");
    BenchResult.Emit("trigger_load",
    [
        new($"POST /api/v1/sync/trigger: {requests:N0} calls, {workers} workers", Math.Round(triggers.PerSecond, 1), "triggers/s"),
        new("Cosmos test server CreateItem, same workers", Math.Round(creates.PerSecond, 1), "creates/s"),
        new("triggers / creates", Math.Round(triggers.PerSecond / creates.PerSecond, 3), "×"),
        new("trigger p50", Math.Round(triggers.Percentile(50), 1), "ms"),
        new("trigger p99", Math.Round(triggers.Percentile(99), 1), "ms"),
        new("CreateItem p99", Math.Round(creates.Percentile(99), 1), "ms"),
        new("trigger p99 / CreateItem p99", Math.Round(triggers.Percentile(99) / creates.Percentile(99), 3), "×"),
        new("confirmed publish to the runner queue, same workers", Math.Round(publishes.PerSecond, 1), "publishes/s"),
        new("Cosmos requests per trigger", Math.Round(perTrigger.Values.Sum(), 2), "requests"),
    ],
    $"Cosmos requests per trigger: {string.Join(", ", perTrigger.Select(k => $"{k.Key} {k.Value}"))}"
        + (refusals.IsEmpty ? "" : $"; refused: {string.Join(", ", refusals.Select(r => $"{(int)r.Key} ×{r.Value}"))}"));
    return triggers.Failures == 0 ? 0 : 1;
}
finally
{
    var options = app.Services.GetRequiredService<IOptions<CosmosDbOptions>>().Value;
    await app.Services.GetRequiredService<CosmosClient>().GetDatabase(options.DatabaseId).DeleteAsync();
    await BrokerCleanup.DeleteAsync(rabbitUrl, exchange, app.Services.GetRequiredService<IOptions<RabbitMqOptions>>().Value.RetryDelaysMs);
    await app.StopAsync();
    await app.DisposeAsync();
}
