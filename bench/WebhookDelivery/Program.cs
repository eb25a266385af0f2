using System.Collections.Concurrent;
using System.Diagnostics;
using IntegrationSync.Bench.Support;
using IntegrationSync.Bench.WebhookDelivery;
using IntegrationSync.Shared.Contracts;
using IntegrationSync.Shared.Contracts.Events;
using IntegrationSync.Shared.Webhooks;
using IntegrationSync.TestSupport;

// Outbound webhook delivery through one warmed-up event-consumer to a receiver on loopback (answering 200 at once):
// 1. burst: N lifecycle events published as fast as the broker confirms them; deliveries/s from the first publish to the
//    last delivery attempt received, and the latency from each event's publish to its delivery attempt (queueing included);
// 2. paced: events at a steady rate well under capacity; p50/p99 from publish to delivery attempt, the latency a tenant sees.
// Every delivery is stored (delivery document, claim, outcome), signed, and sent through the outbound guard.
// With "inbound", how fast sync-api answers providers' signed notifications instead (InboundLatency).
// Needs RABBITMQ_URL and COSMOS_DB_ENDPOINT; from the repository root:
//   dotnet run -c Release --project bench/WebhookDelivery -- 5000 50 100     (events in the burst, tenants, events per second when paced)
//   dotnet run -c Release --project bench/WebhookDelivery -- inbound 2000 16  (notifications, concurrent senders)
if (args is ["inbound", ..])
{
    var inboundDatabase = CosmosTestDatabase.Named(TestInfrastructure.UniqueName("benchdb"));
    await inboundDatabase.InitializeAsync();
    var (notifications, senders) = (args.Length > 1 ? int.Parse(args[1]) : 2_000, args.Length > 2 ? int.Parse(args[2]) : 16);
    var inbound = await InboundLatency.RunAsync(await TestInfrastructure.RabbitMqUrlAsync(), inboundDatabase.Options.DatabaseId, notifications, senders);
    await inboundDatabase.DisposeAsync();
    BenchResult.Emit("webhook_inbound",
    [
        new($"sync-api: {notifications:N0} signed notifications, {senders} senders", Math.Round(inbound.PerSecond, 1), "notifications/s"),
        new("answer p50", Math.Round(inbound.P50, 1), "ms"),
        new("answer p99", Math.Round(inbound.P99, 1), "ms"),
        new("answer max", Math.Round(inbound.Max, 1), "ms"),
        new("answers other than 202 (goal 0)", inbound.Refused, "responses"),
    ]);
    return inbound.Refused == 0 ? 0 : 1;
}
var events = args.Length > 0 ? int.Parse(args[0]) : 5_000;
var tenants = args.Length > 1 ? int.Parse(args[1]) : 50;
var pacedRate = args.Length > 2 ? int.Parse(args[2]) : 100;
const int WarmUp = 1_000;

var url = await TestInfrastructure.RabbitMqUrlAsync();
var database = CosmosTestDatabase.Named(TestInfrastructure.UniqueName("benchdb"));
await database.InitializeAsync();
var exchange = TestInfrastructure.UniqueName("bench");
await using var receiver = await WebhookReceiver.StartAsync();
await using var fleet = new TestPublisher(url, exchange, "sync-runner");

var (host, _) = await TestHost.StartAsync(IntegrationSync.EventConsumer.Program.Build, TestHost.Args(url, exchange, database.Options.DatabaseId,
[
    "--logging:level=Error", "--outbound:allowed_networks:0=127.0.0.0/8", "--webhooks:allow_http=true",
    .. (Environment.GetEnvironmentVariable("BENCH_ARGS") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries),
]));
var registrations = new List<(string Tenant, string Integration)>();
var webhooks = new WebhookRepository(database.Containers);
for (var i = 0; i < tenants; i++)
{
    var (tenant, integration, id) = (Guid.NewGuid().ToString(), Guid.NewGuid().ToString(), Guid.NewGuid().ToString());
    await webhooks.CreateAsync(new WebhookDocument
    {
        Id = id, WebhookId = id, TenantId = tenant, IntegrationId = integration, Url = receiver.NewUrl(), Events = [EventNames.SyncStarted],
        Secret = WebhookSecrets.Generate(), Active = true,
    }, CancellationToken.None);
    registrations.Add((tenant, integration));
}

var published = new ConcurrentDictionary<string, long>();
await RunAsync("warm-up", WarmUp, rate: null);
var burst = await RunAsync("burst", events, rate: null);
var paced = await RunAsync("paced", Math.Min(events, pacedRate * 20), rate: pacedRate);
Console.WriteLine($"burst: {burst.Count:N0} deliveries in {burst.Elapsed.TotalSeconds:F2} s = {burst.Count / burst.Elapsed.TotalSeconds:N0} deliveries/s; "
    + $"publish to attempt p50 {burst.P50:F0} ms, p99 {burst.P99:F0} ms (queueing included)");
Console.WriteLine($"paced at {pacedRate}/s: {paced.Count:N0} deliveries; publish to attempt p50 {paced.P50:F1} ms, p99 {paced.P99:F1} ms, max {paced.Max:F1} ms");
await host.StopAsync();
var store = await StoreBaseline.RunAsync(database.Containers, registrations.Select(r => r.Tenant).ToList(), burst.Count);
Console.WriteLine($"the Cosmos server alone, the fast path's 3 operations per delivery (query, create, replace), 64 at once: {store:N0} deliveries/s");
await database.DisposeAsync();
var burstRate = burst.Count / burst.Elapsed.TotalSeconds;
BenchResult.Emit("webhook_delivery",
[
    new($"burst: {burst.Count:N0} events, {tenants} tenants, publish to last delivery attempt", Math.Round(burstRate, 1), "deliveries/s"),
    new("burst: publish → attempt p50 (queueing included)", Math.Round(burst.P50), "ms"),
    new("burst: publish → attempt p99 (queueing included)", Math.Round(burst.P99), "ms"),
    new($"paced at {pacedRate}/s, {paced.Count:N0} events: publish → attempt p50", Math.Round(paced.P50, 1), "ms"),
    new($"paced at {pacedRate}/s: publish → attempt p99", Math.Round(paced.P99, 1), "ms"),
    new("Cosmos server alone, a delivery's 3 operations (query, create, replace), 64 at once", Math.Round(store, 1), "deliveries/s"),
    new("burst / store alone", Math.Round(burstRate / store, 3), "×"),
]);
return 0;

async Task<Run> RunAsync(string name, int count, int? rate)
{
    var start = receiver.Received.Count;
    var ids = Enumerable.Range(0, count).Select(_ => Guid.NewGuid().ToString()).ToList();
    var clock = Stopwatch.StartNew();
    var window = new List<Task>();
    for (var i = 0; i < count; i++)
    {
        var (tenant, integration) = registrations[i % registrations.Count];
        if (rate is { } perSecond)
        {
            var due = TimeSpan.FromSeconds((double)i / perSecond);
            if (due > clock.Elapsed)
            {
                await Task.Delay(due - clock.Elapsed);
            }
        }
        published[ids[i]] = Stopwatch.GetTimestamp();
        window.Add(fleet.PublishAsync(new SyncStarted(ids[i], integration, "inbound"), tenant));
        if (window.Count >= (rate is null ? 256 : 1))
        {
            await Task.WhenAll(window);
            window.Clear();
        }
    }
    await Task.WhenAll(window);
    while (receiver.Received.Count < start + count)
    {
        if (clock.Elapsed > TimeSpan.FromMinutes(10))
        {
            throw new TimeoutException($"{name}: {receiver.Received.Count - start} of {count} deliveries after 10 minutes");
        }
        await Task.Delay(5);
    }
    var elapsed = clock.Elapsed;
    var latencies = receiver.Received.Skip(start)
        .Select(r => (r.At.UtcTicks, TaskId: r.Json["data"]!["taskId"]!.GetValue<string>()))
        .Where(r => published.ContainsKey(r.TaskId))
        .Select(r => ArrivalMs(r.TaskId, r.UtcTicks)).Order().ToList();
    return new Run(count, elapsed, Percentile(latencies, 0.50), Percentile(latencies, 0.99), latencies[^1]);
}

double ArrivalMs(string taskId, long arrivalUtcTicks)
{
    // Arrival is stamped in UTC by the receiver; convert the publish stopwatch stamp to the same clock.
    var publishedAgo = Stopwatch.GetElapsedTime(published[taskId]);
    var publishedUtc = DateTimeOffset.UtcNow - publishedAgo;
    return (arrivalUtcTicks - publishedUtc.UtcTicks) / (double)TimeSpan.TicksPerMillisecond;
}

static double Percentile(List<double> sorted, double p) => InboundLatency.Percentile(sorted, p);

internal sealed record Run(int Count, TimeSpan Elapsed, double P50, double P99, double Max);
