using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using IntegrationSync.Bench.Support;
using IntegrationSync.Shared.Contracts;
using IntegrationSync.Shared.Contracts.Commands;
using IntegrationSync.Shared.Contracts.Events;
using IntegrationSync.Shared.Messaging;
using IntegrationSync.Shared.Peers;
using IntegrationSync.Shared.Sync;
using IntegrationSync.SyncRunner.Adapters;
using IntegrationSync.SyncRunner.Adapters.Http;
using IntegrationSync.SyncRunner.Adapters.Sample;
using IntegrationSync.TestSupport;
using RabbitMQ.Client;

// Runner benchmarks against the real broker and Cosmos test server (RABBITMQ_URL, COSMOS_DB_ENDPOINT); from the repo root:
//   dotnet run -c Release --project bench/RunnerThroughput -- throughput 100000 [rounds=9] [warm-up syncs=400]
//       records/s of a sample sync through the runner vs a raw RabbitMQ.Client publisher sending the same batch
//       envelopes with confirms, both into one durable sink queue, in the same run (median of 9 each, rounds interleaved,
//       after a warm-up until the JIT has settled). The raw client is timed twice: building its envelopes inside the clock
//       from the same sample adapter's pages (the same work minus the runner), and sending envelopes serialized before the
//       clock started (publishing alone).
//   dotnet run -c Release --project bench/RunnerThroughput -- memory 1000000 [warm-up records=200000]   (and again with 10000)
//       peak working set of the process while the runner streams a sample sync of that size (into a queue of length 0:
//       the broker confirms and drops), one size per process so the peaks compare: first in a fresh process (cold), then
//       again in a process that has run a larger sync (warm); with the GC's committed memory and what is live after the
//       last collection, which tell the GC's allocation budget from what the sync holds.
long peakCommitted = 0;
var mode = args.Length > 0 ? args[0] : "throughput";
var records = args.Length > 1 ? int.Parse(args[1]) : 100_000;
var rounds = args.Length > 2 && mode == "throughput" ? int.Parse(args[2]) : 9;
var warmUpSyncs = args.Length > 3 ? int.Parse(args[3]) : 400;
var memoryWarmUpRecords = args.Length > 2 && mode == "memory" ? int.Parse(args[2]) : 200_000;
const int PageSize = 500;
const int MinWarmUpRounds = 3;
const int MaxWarmUpRounds = 30;
const int SettledJitMethods = 50;

var url = await LocalEndpoints.RabbitMqUrlAsync();
_ = LocalEndpoints.CosmosEndpoint;
var exchange = TestInfrastructure.UniqueName("benchrun");
var database = CosmosTestDatabase.Named(TestInfrastructure.UniqueName("benchrundb"));
await database.InitializeAsync();
var sink = $"{exchange}.sink";

var (peers, peersUrl) = await TestHost.StartAsync(IntegrationSync.CastielPeers.Program.Build,
    TestHost.Args(url, exchange, database.Options.DatabaseId, ["--peers:mapper:enabled=false", "--logging:level=Error"]));
var (runner, _) = await TestHost.StartAsync(IntegrationSync.SyncRunner.Program.Build,
    TestHost.Args(url, exchange, database.Options.DatabaseId,
        // No mapper answers here, so the fairness bound (runner.max_unmapped_records, which waits for mapping results) is off.
        [$"--services:integration_manager:url={peersUrl}", $"--sync_limits:max_records_per_sync={Math.Max(records, memoryWarmUpRecords)}",
            "--runner:max_unmapped_records=0", "--logging:level=Error", .. (Environment.GetEnvironmentVariable("BENCH_ARGS") ?? "").Split(" ", StringSplitOptions.RemoveEmptyEntries)]));
using var admin = new HttpClient { BaseAddress = new Uri(peersUrl) };
await using var connection = await new ConnectionFactory { Uri = new Uri(url) }.CreateConnectionAsync();
await using var api = new TestPublisher(url, exchange, "integration-sync-api");
// The runner publishes its batches as mandatory: a sync with no queue bound fails at its first page. Memory mode's sink
// holds nothing (the broker confirms and drops each batch), so a million records do not pile up in the broker.
await using (var channel = await connection.CreateChannelAsync())
{
    await channel.QueueDeclareAsync(sink, durable: true, exclusive: false, autoDelete: false,
        arguments: mode == "memory" ? new Dictionary<string, object?> { ["x-max-length"] = 0 } : null);
    await channel.QueueBindAsync(sink, exchange, EventNames.DataRawBatch);
}

if (mode == "memory")
{
    // Cold: the process's first sync, so its peak includes the GC growing its allocation budget to what a busy runner
    // keeps. Warm: the same sync again after a larger one (200,000 records by default), with the peak counter reset in
    // between, as a runner that has been working meets it; that peak is what the sync itself adds.
    var cold = ReportMemory("cold", await RunSyncAsync(records), Process.GetCurrentProcess().PeakWorkingSet64);
    await RunSyncAsync(memoryWarmUpRecords);
    File.WriteAllText("/proc/self/clear_refs", "5");
    peakCommitted = 0;
    var warm = ReportMemory("warm", await RunSyncAsync(records), Process.GetCurrentProcess().PeakWorkingSet64);
    BenchResult.Emit("runner_memory", [.. cold, .. warm]);

    BenchMetric[] ReportMemory(string phase, TimeSpan elapsed, long peak)
    {
        var live = GC.GetGCMemoryInfo().GenerationInfo.ToArray().Sum(g => g.SizeAfterBytes);
        Console.WriteLine($"memory ({phase}): {records:N0} records in {elapsed.TotalSeconds:F1} s; peak working set {peak / 1048576:N0} MiB "
            + $"(GC committed at most {peakCommitted / 1048576:N0} MiB; live after the last GC {live / 1048576:N0} MiB)");
        var sync = $"{records:N0}-record sync, {(phase == "cold" ? "fresh process" : "after a larger sync")}";
        return
        [
            new($"peak working set, {sync}", peak / 1048576, "MiB"),
            new($"GC committed at most, {sync}", peakCommitted / 1048576, "MiB"),
            new($"live after the last GC, {sync}", live / 1048576, "MiB"),
        ];
    }
}
else
{
    // Warm-up. A runner executes thousands of syncs; code that runs once per sync (slots, executions, queries, peer calls)
    // reaches its final JIT tier only after some tens of syncs (tier 0, instrumented, tier 1), so the warm-up runs many
    // small syncs, then full-size runner and raw rounds until a round pair compiles almost nothing new.
    for (var i = 0; i < warmUpSyncs; i++)
    {
        await PurgeAsync(settle: false);
        await RunSyncAsync(2_000);
    }
    var warmUpRounds = 0;
    for (long compiled = -1; warmUpRounds < MaxWarmUpRounds; warmUpRounds++)
    {
        await PurgeAsync();
        await RunSyncAsync(records);
        await PurgeAsync();
        await RawPublishAsync(records, preSerialized: false);
        var count = System.Runtime.JitInfo.GetCompiledMethodCount();
        if (count - compiled < SettledJitMethods && warmUpRounds + 1 >= MinWarmUpRounds)
        {
            break;
        }
        compiled = count;
    }
    Console.WriteLine($"warm-up: {warmUpSyncs} syncs of 2,000 records, then {warmUpRounds + 1} full-size rounds until the JIT settled");
    var runnerRates = new List<double>();
    var rawRates = new List<double>();
    var preSerializedRates = new List<double>();
    var (cpu, jit, gcPause) = (new double[3], new double[3], new double[3]);
    for (var i = 0; i < rounds; i++)
    {
        await PurgeAsync();
        runnerRates.Add(records / (await CpuAsync(0, () => RunSyncAsync(records))).TotalSeconds);
        await PurgeAsync();
        rawRates.Add(records / (await CpuAsync(1, () => RawPublishAsync(records, preSerialized: false))).TotalSeconds);
        await PurgeAsync();
        preSerializedRates.Add(records / (await CpuAsync(2, () => RawPublishAsync(records, preSerialized: true))).TotalSeconds);
    }
    Console.WriteLine($"process CPU per round: runner {cpu[0] / rounds:F0} ms, raw client {cpu[1] / rounds:F0} ms, pre-serialized {cpu[2] / rounds:F0} ms; "
        + $"JIT compiling (wall time, all threads): {jit[0] / rounds:F0} / {jit[1] / rounds:F0} / {jit[2] / rounds:F0} ms; "
        + $"GC pauses: {gcPause[0] / rounds:F0} / {gcPause[1] / rounds:F0} / {gcPause[2] / rounds:F0} ms");

    async Task<TimeSpan> CpuAsync(int slot, Func<Task<TimeSpan>> round)
    {
        var before = Process.GetCurrentProcess().TotalProcessorTime;
        var jitBefore = System.Runtime.JitInfo.GetCompilationTime();
        var pauseBefore = GC.GetTotalPauseDuration();
        var elapsed = await round();
        cpu[slot] += (Process.GetCurrentProcess().TotalProcessorTime - before).TotalMilliseconds;
        jit[slot] += (System.Runtime.JitInfo.GetCompilationTime() - jitBefore).TotalMilliseconds;
        gcPause[slot] += (GC.GetTotalPauseDuration() - pauseBefore).TotalMilliseconds;
        return elapsed;
    }
    await PurgeAsync();
    var runnerMedian = Report("runner", runnerRates);
    var rawMedian = Report("raw client, same records", rawRates);
    var preSerializedMedian = Report("raw client, pre-serialized", preSerializedRates);
    // Rounds run in pairs, back to back; the median of the pairs' ratios is less exposed to a shared machine's drift.
    var pairedRatio = BenchResult.Median(runnerRates.Zip(rawRates, (r, raw) => r / raw));
    Console.WriteLine($"ratio runner / raw client = {runnerMedian / rawMedian:F2} (median of round-by-round ratios {pairedRatio:F2}); "
        + $"runner / pre-serialized = {runnerMedian / preSerializedMedian:F2} ({records:N0} records, batches of 50, pages of {PageSize})");
    var sync = $"sample sync of {records:N0} records, median of {rounds} rounds";
    BenchResult.Emit("runner_throughput",
    [
        new($"runner: {sync}", Math.Round(runnerMedian), "records/s"),
        new("raw RabbitMQ.Client publisher, same messages, confirms", Math.Round(rawMedian), "records/s"),
        new("runner / raw client (median of paired rounds)", Math.Round(pairedRatio, 3), "×"),
        new("raw client, messages serialized before the clock", Math.Round(preSerializedMedian), "records/s"),
        new("runner / pre-serialized raw client (median of paired rounds)",
            Math.Round(BenchResult.Median(runnerRates.Zip(preSerializedRates, (r, raw) => r / raw)), 3), "×"),
        new("process CPU per 1,000 records: runner", Math.Round(cpu[0] / rounds * 1000 / records, 2), "ms"),
        new("process CPU per 1,000 records: raw client", Math.Round(cpu[1] / rounds * 1000 / records, 2), "ms"),
    ]);
}

await runner.StopAsync();
await peers.StopAsync();
await database.DisposeAsync();
await BrokerCleanup.DeleteAsync(url, exchange, [200, 500, 1000], sink);

// One sync through the runner: from the work message until every record is published and confirmed (processing).
// A tenant per run: with no mapper answering, each run keeps its tenant slot until the completion timeout.
async Task<TimeSpan> RunSyncAsync(int count)
{
    var tenant = Guid.NewGuid().ToString();
    var integrationId = Guid.NewGuid().ToString();
    (await admin.PutAsJsonAsync($"/_peers/integrations/{integrationId}", new JsonObject
    {
        ["tenantId"] = tenant, ["providerName"] = "sample",
        ["settings"] = SampleIntegrationSettings(count),
    })).EnsureSuccessStatusCode();
    var taskId = Guid.NewGuid().ToString();
    var tasks = new SyncTaskRepository(database.Containers);
    await tasks.CreateAsync(new SyncTaskDocument
    {
        Id = taskId, TaskId = taskId, TenantId = tenant, IntegrationId = integrationId, Direction = "inbound", Status = SyncStatus.Pending,
    }, CancellationToken.None);
    var clock = Stopwatch.StartNew();
    await api.PublishAsync(new SyncRequested(taskId, integrationId, "inbound", null, null, IsoTime.Format(DateTimeOffset.UtcNow)), tenant);
    if (mode == "memory")
    {
        while ((await tasks.ReadAsync(tenant, taskId, CancellationToken.None))!.Status is SyncStatus.Pending or SyncStatus.Running)
        {
            await Task.Delay(20);
            peakCommitted = Math.Max(peakCommitted, GC.GetGCMemoryInfo().TotalCommittedBytes);
        }
        var elapsed = clock.Elapsed;
        var task = (await tasks.ReadAsync(tenant, taskId, CancellationToken.None))!;
        var execution = await new ExecutionRepository(database.Containers).ReadAsync(tenant, task.CurrentExecutionId!, CancellationToken.None);
        if (execution?.RecordsPublished != count)
        {
            throw new InvalidOperationException($"The {count:N0}-record sync ended {task.Status} with {execution?.RecordsPublished} records published: {task.Error ?? execution?.Error}");
        }
        return elapsed;
    }
    // Done when every batch is in the sink queue (as for the raw client: every message confirmed), watched on the
    // broker rather than by reading the task from Cosmos, which would load the machine while it is being measured.
    await using var channel = await connection.CreateChannelAsync();
    while ((await channel.QueueDeclarePassiveAsync(sink)).MessageCount < (uint)((count + 49) / 50))
    {
        await Task.Delay(5);
    }
    return clock.Elapsed;
}

// The same envelopes from a bare channel with confirms and 512 publishes in flight: the sample adapter's pages (as the
// runner reads them) cut into batches of 50 records, without anything else the runner does.
async Task<TimeSpan> RawPublishAsync(int count, bool preSerialized)
{
    var tenant = Guid.NewGuid().ToString();
    var (integrationId, taskId, executionId) = (Guid.NewGuid().ToString(), Guid.NewGuid().ToString(), Guid.NewGuid().ToString());
    var source = new EventSource("raw-client", "raw-client-1");
    var integration = new IntegrationDescriptor(integrationId, "sample", null, null, null,
        SampleIntegrationSettings(count), []);
    var pages = new SampleAdapter(Microsoft.Extensions.Options.Options.Create(new AdapterHttpOptions())).ReadAsync(
        new AdapterReadRequest(new AdapterConnection(integration, AdapterCredentials.None), "opportunity", null, null), CancellationToken.None);
    // The same messages as the runner's: envelope body and the AMQP properties and headers of the wire contract.
    async IAsyncEnumerable<(BasicProperties Properties, byte[] Body)> Messages()
    {
        await foreach (var page in pages)
        {
            foreach (var chunk in page.Records.Chunk(50))
            {
                var (id, now) = (Guid.NewGuid().ToString(), DateTimeOffset.UtcNow);
                var body = EnvelopeCodec.Serialize(id, EventNames.DataRawBatch, now, tenant, source,
                    new DataRawBatch(integrationId, tenant, "opportunity",
                        chunk.Select(r => new RawBatchRecord(r.Data, r.ExternalId, $"{integrationId}-{r.ExternalId}-{taskId}")).ToList(),
                        taskId, executionId, chunk.Length, new RawRecordMetadata("inbound", null)), new EventMetadata(executionId));
                yield return (EnvelopeProperties.Create(id, EventNames.DataRawBatch, source.Service, now, tenant), body);
            }
        }
    }
    var messages = preSerialized ? (await Messages().ToListAsync()).ToAsyncEnumerable() : Messages();
    await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(true, true, outstandingPublisherConfirmationsRateLimiter: null));
    using var window = new SemaphoreSlim(512);
    var clock = Stopwatch.StartNew();
    var sends = new List<Task>();
    await foreach (var message in messages)
    {
        await window.WaitAsync();
        sends.Add(SendAsync(message.Properties, message.Body));
    }
    await Task.WhenAll(sends);
    return clock.Elapsed;

    async Task SendAsync(BasicProperties properties, byte[] body)
    {
        try
        {
            await channel.BasicPublishAsync(exchange, EventNames.DataRawBatch, false, properties, body);
        }
        finally
        {
            window.Release();
        }
    }
}

// The sample integration of every sync, the runner's and the raw client's.
static JsonObject SampleIntegrationSettings(int count) => new() { ["count"] = count, ["pageSize"] = PageSize, ["seed"] = 1 };

static double Report(string name, List<double> rates)
{
    var median = BenchResult.Median(rates);
    Console.WriteLine($"{name,-28} {string.Join(", ", rates.Select(r => r.ToString("N0")))} records/s (median {median:N0})");
    return median;
}

async Task PurgeAsync(bool settle = true)
{
    await using var channel = await connection.CreateChannelAsync();
    await channel.QueuePurgeAsync(sink);
    if (settle)
    {
        await Task.Delay(500);
    }
}
