using System.Diagnostics;
using IntegrationSync.Shared.Configuration.Options;
using IntegrationSync.Shared.Contracts;
using IntegrationSync.Shared.Contracts.Events;
using IntegrationSync.Shared.Messaging;
using IntegrationSync.Shared.Sync;
using IntegrationSync.TestSupport;
using RabbitMQ.Client;

// Mapping results per second through one event-consumer instance with exact statistics.
// The queue is filled first (N distinct results plus 10% duplicates), then the consumer host starts; the clock
// stops when the execution is completed. A short warm-up run comes first (JIT, connections).
// For scale, the same queue filled the same way is then drained by a bare RabbitMQ.Client consumer that only acks:
// the broker's delivery rate on this machine, which no consumer can beat.
// Needs RABBITMQ_URL and COSMOS_DB_ENDPOINT; from the repository root:
//   dotnet run -c Release --project bench/StatisticsThroughput -- 20000
var records = args.Length > 0 ? int.Parse(args[0]) : 20_000;
var url = await TestInfrastructure.RabbitMqUrlAsync();
var database = CosmosTestDatabase.Named(TestInfrastructure.UniqueName("benchdb"));
await database.InitializeAsync();
var logLevel = Environment.GetEnvironmentVariable("BENCH_LOG_LEVEL") ?? "Error";

await RunAsync(2_000);
var result = await RunAsync(records);
Console.WriteLine($"queue filled: {result.Deliveries} results ({records} distinct + {result.Deliveries - records} duplicates) in {result.Fill.TotalSeconds:F2} s");
Console.WriteLine($"host start (Cosmos bootstrap, topology, consumer): {result.Start.TotalSeconds:F2} s");
Console.WriteLine($"completed after {result.Total.TotalSeconds:F2} s: {result.Deliveries / result.Total.TotalSeconds:N0} results/s including host start, "
    + $"{result.Deliveries / (result.Total - result.Start).TotalSeconds:N0} results/s after it");
Console.WriteLine($"counts: {result.Counts} -> {(result.Exact ? "exact" : "WRONG")}");
var drain = await DrainAsync(result.Deliveries);
Console.WriteLine($"bare consumer (ack only) on the same queue: {result.Deliveries / drain.TotalSeconds:N0} deliveries/s");
await database.DisposeAsync();
return result.Exact ? 0 : 1;

async Task<Run> RunAsync(int count)
{
    var exchange = TestInfrastructure.UniqueName("bench");
    var tenant = Guid.NewGuid().ToString();
    var (taskId, executionId) = (Guid.NewGuid().ToString(), Guid.NewGuid().ToString());
    await new SyncTaskRepository(database.Containers).CreateAsync(new SyncTaskDocument
    {
        Id = taskId, TaskId = taskId, TenantId = tenant, Status = SyncStatus.Processing, CurrentExecutionId = executionId,
    }, CancellationToken.None);
    var executions = new ExecutionRepository(database.Containers);
    await executions.CreateAsync(new ExecutionDocument
    {
        Id = executionId, ExecutionId = executionId, TaskId = taskId, TenantId = tenant, Status = SyncStatus.Processing,
        RecordsPublished = count, PublishedAt = IsoTime.Format(DateTimeOffset.UtcNow),
    }, CancellationToken.None);

    var (fillTime, deliveries) = await FillAsync(exchange, count, tenant, taskId, executionId);

    var clock = Stopwatch.StartNew();
    var (host, _) = await TestHost.StartAsync(IntegrationSync.EventConsumer.Program.Build,
        TestHost.Args(url, exchange, database.Options.DatabaseId, [$"--logging:level={logLevel}", .. (Environment.GetEnvironmentVariable("BENCH_ARGS") ?? "").Split(" ", StringSplitOptions.RemoveEmptyEntries)]));
    var started = clock.Elapsed;
    ExecutionDocument execution;
    while ((execution = (await executions.ReadAsync(tenant, executionId, CancellationToken.None))!).Status != SyncStatus.Completed)
    {
        await Task.Delay(10);
    }
    clock.Stop();
    await host.StopAsync();

    var failed = Enumerable.Range(0, count).Count(i => i % 10 == 0);
    var created = Enumerable.Range(0, count).Count(i => i % 10 != 0 && i % 3 != 0);
    var exact = (execution.RecordsCreated, execution.RecordsUpdated, execution.RecordsFailed) == (created, count - failed - created, failed);
    return new Run(deliveries, fillTime, started, clock.Elapsed,
        $"created {execution.RecordsCreated}, updated {execution.RecordsUpdated}, failed {execution.RecordsFailed}", exact);
}

async Task<(TimeSpan Fill, int Deliveries)> FillAsync(string exchange, int count, string tenant, string taskId, string executionId)
{
    // The consumer's queue, declared exactly as the host will (default.yaml's retry delays and delivery limit).
    var rabbit = new RabbitMqOptions { Url = url, Exchange = exchange, QueuePrefix = exchange, RetryDelaysMs = [1000, 10000, 60000] };
    await using (var connection = await new ConnectionFactory { Uri = new Uri(url) }.CreateConnectionAsync())
    await using (var channel = await connection.CreateChannelAsync())
    {
        await channel.ExchangeDeclareAsync(exchange, ExchangeType.Topic, durable: true);
        await TopologyDeclarer.DeclareQueueAsync(channel, exchange, new FleetTopology(rabbit).EventConsumer, rabbit, CancellationToken.None);
    }

    var deliveries = Enumerable.Range(0, count).Concat(Enumerable.Range(0, count / 10)).ToList();
    var fill = Stopwatch.StartNew();
    await using (var peer = new TestPublisher(url, exchange, "integration-processors"))
    {
        await Task.WhenAll(deliveries.Select(i => i % 10 == 0
            ? peer.PublishAsync(new DataMappingFailed("i", tenant, $"e{i}", taskId, $"i-e{i}-{taskId}", executionId, "bench"), tenant)
            : peer.PublishAsync(new DataMapped("i", tenant, $"s{i}", $"e{i}", taskId, $"i-e{i}-{taskId}", executionId, Created: i % 3 != 0), tenant)));
    }
    return (fill.Elapsed, deliveries.Count);
}

async Task<TimeSpan> DrainAsync(int expected)
{
    var exchange = TestInfrastructure.UniqueName("drain");
    await FillAsync(exchange, records, Guid.NewGuid().ToString(), "t", "e");
    await using var connection = await new ConnectionFactory { Uri = new Uri(url) }.CreateConnectionAsync();
    await using var channel = await connection.CreateChannelAsync();
    await channel.BasicQosAsync(0, 20_000, global: false);
    var received = 0;
    var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    var consumer = new RabbitMQ.Client.Events.AsyncEventingBasicConsumer(channel);
    consumer.ReceivedAsync += async (_, delivery) =>
    {
        await channel.BasicAckAsync(delivery.DeliveryTag, multiple: false);
        if (++received == expected)
        {
            done.TrySetResult();
        }
    };
    var clock = Stopwatch.StartNew();
    await channel.BasicConsumeAsync($"{exchange}.event_consumer", autoAck: false, consumer);
    await done.Task;
    return clock.Elapsed;
}

internal sealed record Run(int Deliveries, TimeSpan Fill, TimeSpan Start, TimeSpan Total, string Counts, bool Exact);
