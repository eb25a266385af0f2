using IntegrationSync.Shared.Hosting;
using IntegrationSync.Shared.Contracts;
using IntegrationSync.Shared.Messaging;
using IntegrationSync.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using RabbitMQ.Client;

namespace IntegrationSync.Shared.Tests.Messaging;

[EventName("it.probe.sent")]
public sealed record Probe(string Id, bool Fail);

[EventName("it.probe.rejected")]
public sealed record RejectedProbe(string Id);

[EventName("it.probe.command", Mandatory = true)]
public sealed record UnboundCommand(string Id);

public sealed class ProbeLog
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> _attempts = new();

    public int Attempts(string id) => _attempts.GetValueOrDefault(id);

    public void Record(string id) => _attempts.AddOrUpdate(id, 1, (_, n) => n + 1);
}

public sealed class ProbeHandler(ProbeLog log) : IEventHandler<Probe>
{
    public Task HandleAsync(EventContext<Probe> context, CancellationToken cancellationToken)
    {
        log.Record(context.Data.Id);
        return context.Data.Fail ? throw new InvalidOperationException($"probe failure {context.Data.Id}") : Task.CompletedTask;
    }
}

/// <summary>A host with the production messaging plumbing on its own exchange and queue.</summary>
public sealed class MessagingHost : IAsyncLifetime
{
    public string Exchange { get; } = TestInfrastructure.UniqueName("ex");
    public QueueDefinition Queue { get; } = new(TestInfrastructure.UniqueName("q"), ["it.probe.sent"]);
    public IHost Host { get; private set; } = null!;
    public string Url { get; private set; } = "";

    public ProbeLog Log => Host.Services.GetRequiredService<ProbeLog>();
    public IEventPublisher Publisher => Host.Services.GetRequiredService<IEventPublisher>();

    public async Task InitializeAsync()
    {
        Url = await TestInfrastructure.RabbitMqUrlAsync();
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["rabbitmq:url"] = Url,
            ["rabbitmq:exchange"] = Exchange,
            ["rabbitmq:queue_prefix"] = Exchange,
            ["rabbitmq:retry_delays_ms:0"] = "100",
            ["rabbitmq:retry_delays_ms:1"] = "200",
        });
        builder.Services.AddSingleton(new ServiceIdentity("shared-tests"));
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ProbeLog>();
        builder.Services.AddFleetMetrics();
        builder.AddMessaging().AddConsumer(_ => Queue, c => c.AddSubscription<Probe, ProbeHandler>());
        Host = builder.Build();
        await Host.StartAsync();
    }

    /// <summary>Reads what was parked, without consuming it for anyone else.</summary>
    public async Task<List<BasicGetResult>> ReadParkedAsync(int expected, TimeSpan timeout)
    {
        await using var connection = await new ConnectionFactory { Uri = new Uri(Url) }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        var parked = new List<BasicGetResult>();
        var deadline = DateTime.UtcNow + timeout;
        while (parked.Count < expected && DateTime.UtcNow < deadline)
        {
            if (await channel.BasicGetAsync(Queue.DeadLetterQueue, autoAck: true) is { } message)
            {
                parked.Add(message);
            }
            else
            {
                await Task.Delay(50);
            }
        }
        return parked;
    }

    public async Task WaitForAttemptsAsync(string id, int attempts, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (Log.Attempts(id) < attempts)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{id} was handled {Log.Attempts(id)} times, expected {attempts}");
            }
            await Task.Delay(20);
        }
    }

    public async Task DisposeAsync()
    {
        await Host.StopAsync();
        Host.Dispose();
    }
}
