using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using IntegrationSync.Bench.Support;
using IntegrationSync.Shared.Contracts;
using IntegrationSync.Shared.Contracts.Commands;
using IntegrationSync.Shared.Sync;
using IntegrationSync.TestSupport;
using IntegrationSync.TestSupport.VendorFakes;

// Bidirectional sync through one runner and one event-consumer against the Salesforce fake, the peers stand-in mapping
// records into shards (RABBITMQ_URL, COSMOS_DB_ENDPOINT); from the repo root:
//   dotnet run -c Release --project bench/OutboundPush -- 1000      (BENCH_ARGS="--bidirectional:push_concurrency=16 ..." to try settings)
// 0. a warm-up round of the same edits, not reported;
// 1. pushes/s: every shard edited at once in Castiel, until the vendor holds every edit (shard.updated → event-consumer →
//    runner → vendor write), with p50/p99 from each edit to its vendor write;
// 2. latency at a steady pace: the same edits 20 per second, p50/p99 from edit to vendor write;
// 3. echo round trips: the vendor changes every record, a pull publishes them and the mapper updates their shards
//    (shard.updated: must push nothing), Castiel edits every shard (one push each), the next pull reads our own writes
//    (must publish nothing): echo pushes = vendor writes beyond the edits (goal 0), echoes republished (goal 0).
var records = args.Length > 0 ? int.Parse(args[0]) : 1000;
const int PacedPerSecond = 20;

var url = await TestInfrastructure.RabbitMqUrlAsync();
var exchange = TestInfrastructure.UniqueName("benchpush");
var database = CosmosTestDatabase.Named(TestInfrastructure.UniqueName("benchpushdb"));
await database.InitializeAsync();
await using var salesforce = await FakeSalesforce.StartAsync();
salesforce.DefaultBatchSize = 500;

string[] quiet = ["--logging:level=Error", "--outbound:allowed_networks:0=127.0.0.0/8", "--adapter_http:max_page_size=10000",
    "--sync_limits:min_interval_minutes=0", $"--sync_limits:max_records_per_sync={records * 2}",
    .. (Environment.GetEnvironmentVariable("BENCH_ARGS") ?? "").Split(" ", StringSplitOptions.RemoveEmptyEntries)];
var (peers, peersUrl) = await TestHost.StartAsync(IntegrationSync.CastielPeers.Program.Build, TestHost.Args(url, exchange, database.Options.DatabaseId, quiet));
string[] services = [.. quiet, $"--services:integration_manager:url={peersUrl}", $"--services:secret_management:url={peersUrl}", $"--services:shard_manager:url={peersUrl}"];
var (runner, _) = await TestHost.StartAsync(IntegrationSync.SyncRunner.Program.Build, TestHost.Args(url, exchange, database.Options.DatabaseId, services));
var (consumer, _) = await TestHost.StartAsync(IntegrationSync.EventConsumer.Program.Build, TestHost.Args(url, exchange, database.Options.DatabaseId, services));
using var admin = new HttpClient { BaseAddress = new Uri(peersUrl) };
await using var wire = await WireTap.StartAsync(url, exchange);
await using var api = new TestPublisher(url, exchange, "integration-sync-api");
var tenant = Guid.NewGuid().ToString();
var tasks = new SyncTaskRepository(database.Containers);

var integrationId = await AddIntegrationAsync();
var ids = Enumerable.Range(0, records).Select(i => (string)salesforce.Add($"Deal {i}", DateTimeOffset.UtcNow.AddDays(-1))["Id"]!).ToList();
var pullClock = Stopwatch.StartNew();
await PullAsync();
Console.WriteLine($"initial pull of {records:N0} records (sync state written before/beside publishing): {pullClock.Elapsed.TotalSeconds:F1} s");
var shards = await ShardsByExternalIdAsync();

// 0. Warm-up (not reported): the first push of every path pays for the JIT of three hosts.
await EditAllAsync(ids, round: 0, pace: null);

// 1. Every shard edited at once.
var burst = await EditAllAsync(ids, round: 1, pace: null);
Report("burst", burst.Elapsed, burst.Latencies);

// 2. Edits at a steady pace.
var paced = await EditAllAsync(ids, round: 2, pace: TimeSpan.FromSeconds(1.0 / PacedPerSecond));
Report($"paced ({PacedPerSecond}/s)", paced.Elapsed, paced.Latencies);

// 3. Round trips.
var writesBefore = salesforce.Writes;
foreach (var id in ids)
{
    salesforce.Change(id, new JsonObject { ["Amount"] = 7 });
}
var inbound = await PullAsync();
await Task.Delay(TimeSpan.FromSeconds(3));
var echoPushesAfterPull = salesforce.Writes - writesBefore;
var round = await EditAllAsync(ids, round: 3, pace: null);
var echoPull = await PullAsync();
await Task.Delay(TimeSpan.FromSeconds(3));
var echoPushes = salesforce.Writes - writesBefore - records;
Console.WriteLine($"round trips: {records:N0}; vendor changes published {inbound.RecordsPublished:N0}; pushes after the mapper's updates {echoPushesAfterPull} (goal 0); "
    + $"edits pushed {records:N0} in {round.Elapsed.TotalSeconds:F1} s; our writes read back {echoPull.EchoesSkipped:N0}, republished {echoPull.RecordsPublished} (goal 0); "
    + $"echo pushes in all {echoPushes} (goal 0)");

await consumer.StopAsync();
await runner.StopAsync();
await peers.StopAsync();
await database.DisposeAsync();
BenchResult.Emit("outbound_push",
[
    new($"burst: {records:N0} shards edited at once, through one runner", Math.Round(records / burst.Elapsed.TotalSeconds, 1), "pushes/s"),
    new("burst: shard edit → vendor write p50", Math.Round(Percentile(burst.Latencies, 0.50)), "ms"),
    new("burst: shard edit → vendor write p99", Math.Round(Percentile(burst.Latencies, 0.99)), "ms"),
    new($"paced ({PacedPerSecond}/s): shard edit → vendor write p50", Math.Round(Percentile(paced.Latencies, 0.50)), "ms"),
    new($"paced ({PacedPerSecond}/s): shard edit → vendor write p99", Math.Round(Percentile(paced.Latencies, 0.99)), "ms"),
    new($"round trips: {records:N0} edits pushed in", Math.Round(round.Elapsed.TotalSeconds, 2), "s"),
    new("round trips: echo pushes after the mapper's updates (goal 0)", echoPushesAfterPull, "pushes"),
    new("round trips: echoes republished by the next pull (goal 0)", echoPull.RecordsPublished, "records"),
    new("round trips: echo pushes in all (goal 0)", echoPushes, "pushes"),
]);
// An echo is a correctness fault, not a slow run: the run fails so bench.sh names it.
return echoPushes == 0 && echoPull.RecordsPublished == 0 ? 0 : 1;

async Task<string> AddIntegrationAsync()
{
    var id = Guid.NewGuid().ToString();
    (await admin.PutAsJsonAsync($"/_peers/secrets/bench-{id}", new JsonObject
    {
        ["value"] = new JsonObject { ["instanceUrl"] = salesforce.InstanceUrl, ["accessToken"] = salesforce.Faults.ValidToken },
    })).EnsureSuccessStatusCode();
    (await admin.PutAsJsonAsync($"/_peers/integrations/{id}", new JsonObject
    {
        ["tenantId"] = tenant, ["providerName"] = "salesforce", ["credentialSecretName"] = $"bench-{id}", ["settings"] = new JsonObject { ["fields"] = "Name,Amount" },
        ["syncConfig"] = new JsonObject
        {
            ["syncDirection"] = "bidirectional", ["conflictResolution"] = "newest_wins",
            ["entityMappings"] = new JsonArray(new JsonObject
            {
                ["externalEntity"] = "opportunity", ["shardTypeId"] = "c_opportunity", ["enabled"] = true,
                ["fieldMappings"] = new JsonArray(new JsonObject { ["externalField"] = "Name", ["shardField"] = "name" },
                    new JsonObject { ["externalField"] = "Amount", ["shardField"] = "amount" }),
            }),
        },
    })).EnsureSuccessStatusCode();
    return id;
}

// One inbound sync, from the work message until it completed (mapping results included).
async Task<ExecutionDocument> PullAsync()
{
    var taskId = Guid.NewGuid().ToString();
    await tasks.CreateAsync(new SyncTaskDocument
    {
        Id = taskId, TaskId = taskId, TenantId = tenant, IntegrationId = integrationId, Direction = SyncDirection.Inbound, Status = SyncStatus.Pending, Managed = true,
    }, CancellationToken.None);
    await api.PublishAsync(new SyncRequested(taskId, integrationId, SyncDirection.Inbound, null, null, IsoTime.Format(DateTimeOffset.UtcNow)), tenant);
    while ((await tasks.ReadAsync(tenant, taskId, CancellationToken.None))!.Status is not (SyncStatus.Completed or SyncStatus.Failed))
    {
        await Task.Delay(50);
    }
    var executions = new ExecutionRepository(database.Containers);
    return (await executions.ReadAsync(tenant, WorkMessages.ExecutionIdFor(taskId), CancellationToken.None))!;
}

async Task<Dictionary<string, string>> ShardsByExternalIdAsync()
{
    var items = (await admin.GetFromJsonAsync<JsonObject>($"/_peers/shards?tenantId={tenant}"))!["items"]!.AsArray();
    return items.ToDictionary(s => (string)s!["metadata"]!["externalId"]!, s => (string)s!["id"]!);
}

// Edits every shard as a Castiel user (shard-manager's update and its shard.updated), then waits for every vendor write.
async Task<(TimeSpan Elapsed, List<double> Latencies)> EditAllAsync(List<string> externalIds, int round, TimeSpan? pace)
{
    var sent = new Dictionary<string, DateTimeOffset>();
    var clock = Stopwatch.StartNew();
    var edits = new List<Task>();
    foreach (var id in externalIds)
    {
        sent[id] = DateTimeOffset.UtcNow;
        edits.Add(admin.PostAsJsonAsync($"/_peers/shards/{shards[id]}/edit?tenantId={tenant}",
            new JsonObject { ["structuredData"] = new JsonObject { ["name"] = $"{id} edit {round}", ["amount"] = round } }));
        if (pace is { } wait)
        {
            await Task.Delay(wait);
        }
    }
    await Task.WhenAll(edits);
    while (externalIds.Any(id => (string?)salesforce.Find(id)!["Name"] != $"{id} edit {round}"))
    {
        await Task.Delay(20);
    }
    var elapsed = clock.Elapsed;
    var commands = wire.OfType(EventNames.SyncOutbound).Where(m => m.Envelope.Timestamp is var t && IsoTime.Parse(t) >= sent.Values.Min()).ToList();
    Console.WriteLine($"  round {round}: {commands.Count} push requests from event-consumer, the last {((IsoTime.Parse(commands.Select(c => c.Envelope.Timestamp).Max()) ?? DateTimeOffset.UtcNow) - sent.Values.Min()).TotalSeconds:F1} s after the first edit");
    return (elapsed, externalIds.Select(id => (salesforce.WrittenAt[id] - sent[id]).TotalMilliseconds).Order().ToList());
}

void Report(string name, TimeSpan elapsed, List<double> latencies) =>
    Console.WriteLine($"{name,-12} {latencies.Count:N0} pushes in {elapsed.TotalSeconds:F1} s = {latencies.Count / elapsed.TotalSeconds:N0} pushes/s; "
        + $"shard edit → vendor write p50 {Percentile(latencies, 0.50):N0} ms, p99 {Percentile(latencies, 0.99):N0} ms (max {latencies[^1]:N0} ms)");

static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
