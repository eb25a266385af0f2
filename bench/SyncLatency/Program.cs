using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using IntegrationSync.Bench.Support;
using IntegrationSync.Bench.Support.Cosmos;
using IntegrationSync.Bench.SyncLatency;
using IntegrationSync.Shared.Contracts;
using IntegrationSync.Shared.Contracts.Events;

// Trigger → completed through the whole fleet in one process (BenchFleet), against the real broker and Cosmos test server:
// the clock runs from POST /api/v1/sync/trigger until integration.sync.completed is on the wire, with every record read
// from the sample adapter, published, mapped by the peers' stand-in mapper and counted by event-consumer. Each sync's
// Cosmos requests are counted as the process sends them (CosmosRequestCounter) from the trigger until the fleet has been
// quiet for a second after the final event (the announcement mark and the slot release come after it), and reported per
// 1,000 records by kind with the request units real Cosmos DB would charge (estimated; the test server charges none).
// A warm-up sync comes first, so the JIT and the SDK's caches are warm as in a runner that has been working.
// Usage: SyncLatency [sizes=1000,100000] [page_size=500]; needs RABBITMQ_URL and COSMOS_DB_ENDPOINT (loopback). From the repo root:
//   dotnet run -c Release --project bench/SyncLatency -- 1000,100000
int[] sizes = args.Length > 0 ? [.. args[0].Split(',').Select(int.Parse)] : [1_000, 100_000];
var pageSize = args.Length > 1 ? int.Parse(args[1]) : 500;
const int WarmUpRecords = 1_000;
var idleWindow = TimeSpan.FromSeconds(5);

var url = await LocalEndpoints.RabbitMqUrlAsync();
using var cosmos = CosmosRequestCounter.Start(LocalEndpoints.CosmosEndpoint);
await using var fleet = await BenchFleet.StartAsync(url, Math.Max(sizes.Max(), WarmUpRecords));
await using var finals = await FinalEvents.StartAsync(url, fleet.Exchange);

await SyncAsync(WarmUpRecords);
await cosmos.QuiescedAsync(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(15));
cosmos.Take();
await Task.Delay(idleWindow);
var idleRequests = cosmos.Take();
var idle = idleRequests.Count;
var idleKinds = string.Concat(idleRequests.GroupBy(r => $"{r.Description} {r.Document}".Trim()).Select(g => $", {g.Key} ×{g.Count()}"));
Console.WriteLine($"idle fleet: {idle} Cosmos requests in {idleWindow.TotalSeconds:F0} s (fleet-wide timers slowed to an hour){idleKinds}");

var metrics = new List<BenchMetric>();
var notes = new List<string> { $"idle fleet: {idle} Cosmos requests in {idleWindow.TotalSeconds:F0} s{idleKinds}" };
foreach (var size in sizes)
{
    cosmos.Take();
    var latency = await SyncAsync(size);
    await cosmos.QuiescedAsync(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(15));
    var cost = CosmosCost.Of(cosmos.Take(), size);
    Console.WriteLine($"{size:N0} records (pages of {pageSize}): trigger → completed {latency.TotalSeconds:F2} s ({size / latency.TotalSeconds:N0} records/s)");
    Console.WriteLine($"  Cosmos: {cost}");
    Console.WriteLine($"  by document: {cost.DocumentsSummary()}");
    var sync = $"{size:N0}-record sync";
    metrics.AddRange(
    [
        new($"trigger → completed, {sync} (whole fleet in one process)", Math.Round(latency.TotalSeconds, 3), "s"),
        new($"Cosmos requests per 1,000 records, {sync}", cost.Total, "requests"),
        new($"Cosmos request units per 1,000 records, {sync} (estimated for Cosmos DB)", cost.EstimatedRu, "RU"),
    ]);
    notes.Add($"Cosmos requests of the {sync}: {cost}");
    notes.Add($"Cosmos item requests of the {sync} by document (id kind; creates and queries name none): {cost.DocumentsSummary()}");
}
BenchResult.Emit("sync_latency", metrics, notes);

// One sync from the trigger to its integration.sync.completed, which must count every record.
async Task<TimeSpan> SyncAsync(int records)
{
    var integrationId = await fleet.AddSampleIntegrationAsync(records, pageSize);
    var clock = Stopwatch.StartNew();
    using var response = await fleet.Api.PostAsJsonAsync("/api/v1/sync/trigger", new { integrationId, direction = "inbound" });
    var body = await response.Content.ReadFromJsonAsync<JsonObject>();
    if (response.StatusCode != HttpStatusCode.Accepted)
    {
        throw new InvalidOperationException($"Trigger answered {(int)response.StatusCode}: {body?.ToJsonString()}");
    }
    var taskId = body!["taskId"]!.GetValue<string>();
    var final = await finals.WaitAsync(taskId, TimeSpan.FromMinutes(30));
    var elapsed = clock.Elapsed;
    if (final.Type != EventNames.SyncCompleted || final.Data.Deserialize<SyncCompleted>(ContractJson.Options)!.RecordsProcessed != records)
    {
        throw new InvalidOperationException($"Sync {taskId} of {records} records ended with {final.Type}: {final.Data}");
    }
    return elapsed;
}
