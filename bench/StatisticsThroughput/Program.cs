using System.Diagnostics;
using IntegrationSync.Bench.Support;
using IntegrationSync.EventConsumer.Statistics;
using IntegrationSync.Shared.Configuration.Options;
using IntegrationSync.Shared.Contracts;
using IntegrationSync.Shared.Contracts.Events;
using IntegrationSync.Shared.Messaging;
using IntegrationSync.Shared.Sync;
using IntegrationSync.TestSupport;
using RabbitMQ.Client;

// Mapping results per second through one event-consumer instance with exact statistics, at steady state, next to a bare
// consumer on the same queue.
// The queue is filled first: a warm-up execution's results, then the measured execution's (N distinct results plus
// 10% duplicates). The consumer host then starts and works through both; the clock runs from the warm-up execution's
// completion to the measured one's. A consumer runs for days: its startup and JIT warm-up (tier-0 code until hot paths
// are recompiled, which roughly doubles the CPU per result in the first seconds) are reported, not measured.
// Then, with the host stopped, the same queue is filled the same way again and drained by a bare RabbitMQ.Client consumer
// that only acks (a hundred at a time), with the host's prefetch: the broker's delivery rate on this machine, which no consumer can beat.
// Needs RABBITMQ_URL and COSMOS_DB_ENDPOINT (loopback); from the repository root:
//   dotnet run -c Release --project bench/StatisticsThroughput -- 10000 [warm-up results=50000]
var records = args.Length > 0 ? int.Parse(args[0]) : 10_000;
var warmUpRecords = args.Length > 1 ? int.Parse(args[1]) : 50_000;
var url = await LocalEndpoints.RabbitMqUrlAsync();
_ = LocalEndpoints.CosmosEndpoint;
var database = CosmosTestDatabase.Named(TestInfrastructure.UniqueName("benchdb"));
await database.InitializeAsync();
var logLevel = Environment.GetEnvironmentVariable("BENCH_LOG_LEVEL") ?? "Error";
var exchange = TestInfrastructure.UniqueName("bench");
var executions = new ExecutionRepository(database.Containers);
// The queue is declared with default.yaml's retry delays and delivery limit; the host (TestHost.Args) adds its own delay queues.
int[] fillRetryDelays = [1000, 10000, 60000];

var warmUp = await SeedAsync(warmUpRecords);
var measured = await SeedAsync(records);
var fill = Stopwatch.StartNew();
await FillAsync(warmUp);
await FillAsync(measured);
Console.WriteLine($"queue filled: {warmUp.Deliveries + measured.Deliveries:N0} results in {fill.Elapsed.TotalSeconds:F2} s");

var clock = Stopwatch.StartNew();
var (host, _) = await TestHost.StartAsync(IntegrationSync.EventConsumer.Program.Build,
    TestHost.Args(url, exchange, database.Options.DatabaseId,
        [$"--logging:level={logLevel}", .. (Environment.GetEnvironmentVariable("BENCH_ARGS") ?? "").Split(" ", StringSplitOptions.RemoveEmptyEntries)]));
Console.WriteLine($"host start (Cosmos bootstrap, topology, consumer): {clock.Elapsed.TotalSeconds:F2} s");
await CompletedAsync(warmUp);
var warm = clock.Elapsed;
Console.WriteLine($"warm-up: {warmUp.Deliveries:N0} results counted {warm.TotalSeconds:F2} s after start ({warmUp.Deliveries / warm.TotalSeconds:N0} results/s, cold)");
var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
var execution = await CompletedAsync(measured);
var elapsed = clock.Elapsed - warm;
var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
await host.StopAsync();
await host.DisposeAsync();

var failed = Enumerable.Range(0, records).Count(i => i % 10 == 0);
var created = Enumerable.Range(0, records).Count(i => i % 10 != 0 && i % 3 != 0);
var exact = (execution.RecordsCreated, execution.RecordsUpdated, execution.RecordsFailed) == (created, records - failed - created, failed);
var rate = measured.Deliveries / elapsed.TotalSeconds;
Console.WriteLine($"measured: {measured.Deliveries:N0} results ({records:N0} distinct + {measured.Deliveries - records:N0} duplicates) "
    + $"in {elapsed.TotalSeconds:F2} s: {rate:N0} results/s");
Console.WriteLine($"counts: created {execution.RecordsCreated}, updated {execution.RecordsUpdated}, failed {execution.RecordsFailed} -> {(exact ? "exact" : "WRONG")}");
Console.WriteLine($"consumer process CPU: {cpu.TotalMicroseconds / measured.Deliveries:F0} µs per result");
var drain = await DrainAsync(measured);
var bare = measured.Deliveries / drain.TotalSeconds;
Console.WriteLine($"bare consumer (ack only) on the same queue: {bare:N0} deliveries/s; event-consumer / bare = {rate / bare:F2}");
BenchResult.Emit("statistics_throughput",
[
    new($"event-consumer: {measured.Deliveries:N0} mapping results ({records:N0} distinct), statistics {(exact ? "exact" : "WRONG")}",
        Math.Round(rate, 1), "results/s"),
    new("bare consumer (ack only), same queue and prefetch", Math.Round(bare, 1), "deliveries/s"),
    new("event-consumer / bare consumer", Math.Round(rate / bare, 3), "×"),
    new("event-consumer process CPU per result", Math.Round(cpu.TotalMicroseconds / measured.Deliveries, 1), "µs"),
]);
await database.DisposeAsync();
await BrokerCleanup.DeleteAsync(url, exchange, [.. fillRetryDelays, 200, 500, 1000]);
return exact ? 0 : 1;

// A processing execution and its task as the runner leaves them (managed: the fleet completes only its own documents).
async Task<Execution> SeedAsync(int count)
{
    var tenant = Guid.NewGuid().ToString();
    var (taskId, executionId) = (Guid.NewGuid().ToString(), Guid.NewGuid().ToString());
    await new SyncTaskRepository(database.Containers).CreateAsync(new SyncTaskDocument
    {
        Id = taskId, TaskId = taskId, TenantId = tenant, Status = SyncStatus.Processing, CurrentExecutionId = executionId, Managed = true,
    }, CancellationToken.None);
    await executions.CreateAsync(new ExecutionDocument
    {
        Id = executionId, ExecutionId = executionId, TaskId = taskId, TenantId = tenant, Status = SyncStatus.Processing,
        RecordsPublished = count, PublishedAt = IsoTime.Format(DateTimeOffset.UtcNow), Managed = true,
    }, CancellationToken.None);
    return new Execution(tenant, taskId, executionId, count);
}

async Task<ExecutionDocument> CompletedAsync(Execution run)
{
    ExecutionDocument document;
    while ((document = (await executions.ReadAsync(run.Tenant, run.ExecutionId, CancellationToken.None))!).Status != SyncStatus.Completed)
    {
        await Task.Delay(10);
    }
    return document;
}

async Task FillAsync(Execution run)
{
    var rabbit = new RabbitMqOptions { Url = url, Exchange = exchange, QueuePrefix = exchange, RetryDelaysMs = fillRetryDelays };
    await using (var connection = await new ConnectionFactory { Uri = new Uri(url) }.CreateConnectionAsync())
    await using (var channel = await connection.CreateChannelAsync())
    {
        await channel.ExchangeDeclareAsync(exchange, ExchangeType.Topic, durable: true);
        await TopologyDeclarer.DeclareQueueAsync(channel, exchange, new FleetTopology(rabbit).EventConsumer, rabbit, CancellationToken.None);
    }

    var (tenant, taskId, executionId) = (run.Tenant, run.TaskId, run.ExecutionId);
    // Every tenth result is followed by a duplicate of an earlier one, so the last distinct result is (nearly) the queue's last message.
    var indexes = Enumerable.Range(0, run.Count).SelectMany(i => i % 10 == 9 ? [i, i / 10] : new[] { i }).ToList();
    await using (var peer = new TestPublisher(url, exchange, "integration-processors"))
    {
        await Task.WhenAll(indexes.Select(i => i % 10 == 0
            ? peer.PublishAsync(new DataMappingFailed("i", tenant, $"e{i}", taskId, $"i-e{i}-{taskId}", executionId, "bench"), tenant)
            : peer.PublishAsync(new DataMapped("i", tenant, $"s{i}", $"e{i}", taskId, $"i-e{i}-{taskId}", executionId, Created: i % 3 != 0), tenant)));
    }
}

async Task<TimeSpan> DrainAsync(Execution like)
{
    var run = new Execution(Guid.NewGuid().ToString(), "t", "e", like.Count);
    var expected = run.Deliveries;
    var queue = new FleetTopology(new RabbitMqOptions { QueuePrefix = exchange }).EventConsumer.Name;
    await using var connection = await new ConnectionFactory { Uri = new Uri(url) }.CreateConnectionAsync();
    await using var channel = await connection.CreateChannelAsync();
    await channel.QueuePurgeAsync(queue); // what the host left: duplicates that came after the last distinct result
    await FillAsync(run);
    await channel.BasicQosAsync(0, new StatisticsOptions().Prefetch, global: false);
    var received = 0;
    var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    var consumer = new RabbitMQ.Client.Events.AsyncEventingBasicConsumer(channel);
    // Acks a hundred deliveries at once: the cheapest a consumer can be, so the ratio is to the broker's ceiling.
    consumer.ReceivedAsync += async (_, delivery) =>
    {
        if (++received % 100 == 0 || received == expected)
        {
            await channel.BasicAckAsync(delivery.DeliveryTag, multiple: true);
        }
        if (received == expected)
        {
            done.TrySetResult();
        }
    };
    var clock = Stopwatch.StartNew();
    await channel.BasicConsumeAsync(queue, autoAck: false, consumer);
    await done.Task;
    return clock.Elapsed;
}

internal sealed record Execution(string Tenant, string TaskId, string ExecutionId, int Count)
{
    /// <summary>Every result once, and one in ten again (a redelivery the statistics must not count twice).</summary>
    public int Deliveries => Count + Count / 10;
}
