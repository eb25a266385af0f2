using IntegrationSync.EventConsumer.Statistics;
using IntegrationSync.Shared.Contracts;
using IntegrationSync.Shared.Contracts.Events;
using IntegrationSync.Shared.Sync;
using IntegrationSync.TestSupport;
using Microsoft.AspNetCore.Builder;

namespace IntegrationSync.EventConsumer.Tests.Statistics;

/// <summary>Two event-consumer hosts competing for one queue, a peer publisher and a wire tap, on an exchange and database of their own.</summary>
public class StatisticsHarness : IAsyncLifetime
{
    private readonly List<WebApplication> _hosts = [];

    public string Exchange { get; } = TestInfrastructure.UniqueName("stats");
    public CosmosTestDatabase Database { get; } = CosmosTestDatabase.Named(TestInfrastructure.UniqueName("statsdb"));
    public TestPublisher Peer { get; private set; } = null!;
    public WireTap Wire { get; private set; } = null!;
    public WebApplication Host => _hosts[0];

    protected virtual IEnumerable<string> ExtraArgs => [];

    protected virtual int Hosts => 2;

    public async Task InitializeAsync()
    {
        var url = await TestInfrastructure.RabbitMqUrlAsync();
        await Database.InitializeAsync();
        Wire = await WireTap.StartAsync(url, Exchange);
        for (var i = 0; i < Hosts; i++)
        {
            var (app, _) = await TestHost.StartAsync(IntegrationSync.EventConsumer.Program.Build,
                TestHost.Args(url, Exchange, Database.Options.DatabaseId, ExtraArgs));
            _hosts.Add(app);
        }
        Peer = new TestPublisher(url, Exchange, "integration-processors");
    }

    public SyncTaskRepository Tasks => new(Database.Containers);
    public ExecutionRepository Executions => new(Database.Containers);

    /// <summary>A task and its execution as the runner leaves them.</summary>
    public async Task<(string TaskId, string ExecutionId)> SeedAsync(
        string tenantId, string status, int published, DateTimeOffset? publishedAt = null, int forwarded = 0)
    {
        var (taskId, executionId) = (Guid.NewGuid().ToString(), Guid.NewGuid().ToString());
        var at = IsoTime.Format(publishedAt ?? DateTimeOffset.UtcNow);
        await Tasks.CreateAsync(new SyncTaskDocument
        {
            Id = taskId, TaskId = taskId, TenantId = tenantId, IntegrationId = "i-1", Direction = "inbound", Status = status,
            CurrentExecutionId = executionId, CreatedAt = at, UpdatedAt = at,
        }, CancellationToken.None);
        await Executions.CreateAsync(new ExecutionDocument
        {
            Id = executionId, ExecutionId = executionId, TaskId = taskId, TenantId = tenantId, IntegrationId = "i-1", Status = status,
            Managed = true, RecordsPublished = published, RecordsForwarded = forwarded, PublishedAt = status == SyncStatus.Processing ? at : null, CreatedAt = at, UpdatedAt = at,
        }, CancellationToken.None);
        return (taskId, executionId);
    }

    public static object Result(string tenantId, string taskId, string executionId, int index, MappingOutcome outcome)
    {
        var key = $"i-1-ext-{index}-{taskId}";
        return outcome == MappingOutcome.Failed
            ? new DataMappingFailed("i-1", tenantId, $"ext-{index}", taskId, key, executionId, "no mapping for field")
            : new DataMapped("i-1", tenantId, $"shard-{index}", $"ext-{index}", taskId, key, executionId, Created: outcome == MappingOutcome.Created);
    }

    public Task PublishAsync(object result, string tenantId) => result switch
    {
        DataMapped mapped => Peer.PublishAsync(mapped, tenantId),
        DataMappingFailed failed => Peer.PublishAsync(failed, tenantId),
        _ => throw new ArgumentException("not a mapping result", nameof(result)),
    };

    public async Task<ExecutionDocument> WaitForExecutionAsync(string tenantId, string executionId, string status)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        ExecutionDocument? execution = null;
        while (DateTime.UtcNow < deadline)
        {
            execution = await Executions.ReadAsync(tenantId, executionId, CancellationToken.None);
            if (execution?.Status == status)
            {
                return execution;
            }
            await Task.Delay(50);
        }
        throw new TimeoutException($"Execution {executionId} did not reach '{status}' (last: {execution?.Status}, counted {execution?.RecordsProcessed})");
    }

    /// <summary>The task follows its execution right after the execution's own transition.</summary>
    public async Task<SyncTaskDocument> WaitForTaskAsync(string tenantId, string taskId, string status)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        SyncTaskDocument? task = null;
        while (DateTime.UtcNow < deadline)
        {
            task = await Tasks.ReadAsync(tenantId, taskId, CancellationToken.None);
            if (task?.Status == status)
            {
                return task;
            }
            await Task.Delay(50);
        }
        throw new TimeoutException($"Task {taskId} did not reach '{status}' (last: {task?.Status})");
    }

    public static async Task WaitForAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out waiting for {what}");
            }
            await Task.Delay(50);
        }
    }

    /// <summary>Waits until the consumers' queue has nothing ready, then lets in-flight handlers finish.</summary>
    public async Task DrainedAsync()
    {
        await using var connection = await new RabbitMQ.Client.ConnectionFactory { Uri = new Uri(await TestInfrastructure.RabbitMqUrlAsync()) }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await channel.QueueDeclarePassiveAsync($"{Exchange}.event_consumer")).MessageCount > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }
        await Task.Delay(500);
    }

    /// <summary>How many messages sit in the parking queue, waiting up to a bound for <paramref name="expected"/>.</summary>
    public async Task<uint> ParkedCountAsync(uint expected)
    {
        await using var connection = await new RabbitMQ.Client.ConnectionFactory { Uri = new Uri(await TestInfrastructure.RabbitMqUrlAsync()) }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        var deadline = DateTime.UtcNow.AddSeconds(15);
        uint count;
        while ((count = (await channel.QueueDeclarePassiveAsync($"{Exchange}.event_consumer.dlq")).MessageCount) < expected && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }
        return count;
    }

    public async Task DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            await host.StopAsync();
            await host.DisposeAsync();
        }
        await Peer.DisposeAsync();
        await Wire.DisposeAsync();
        await Database.DisposeAsync();
    }
}
