using System.Net.Http.Json;
using System.Text.Json.Nodes;
using IntegrationSync.CastielPeers.Stubs;
using IntegrationSync.Shared.Contracts;
using IntegrationSync.Shared.Contracts.Events;
using IntegrationSync.Shared.Messaging;
using IntegrationSync.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using RabbitMQ.Client;

namespace IntegrationSync.TokenRefresher.Tests;

/// <summary>
/// The integration-manager stand-in and real token-refresher hosts built by their own Program, on loopback ports,
/// sharing a broker exchange and a Cosmos database of their own. Requests are published the way integration-manager
/// would: raw envelopes on the exchange, with ids the test chooses.
/// </summary>
public abstract class TokenRefresherHarness : IAsyncLifetime
{
    private readonly List<WebApplication> _apps = [];
    private RabbitMqEventPublisher _publisher = null!;

    public string Exchange { get; } = TestInfrastructure.UniqueName("tokens");
    public string DatabaseId { get; } = TestInfrastructure.UniqueName("tokensdb");
    public string TenantId { get; } = Guid.NewGuid().ToString();
    public string RabbitMqUrl { get; private set; } = "";
    public HttpClient Peers { get; private set; } = null!;
    public WireTap Wire { get; private set; } = null!;
    public HandledDeliveries Handled { get; } = new();
    public DateTimeOffset AllReplicasStartedAt { get; private set; }

    /// <summary>The queue every replica consumes (named by the fleet topology from the queue prefix).</summary>
    public string Queue => $"{Exchange}.token_refresher";

    protected virtual int Replicas => 1;

    protected abstract IEnumerable<string> RefresherArgs { get; }

    public async Task InitializeAsync()
    {
        RabbitMqUrl = await TestInfrastructure.RabbitMqUrlAsync();
        Wire = await WireTap.StartAsync(RabbitMqUrl, Exchange);

        var (peersApp, peers) = await StartAsync(CastielPeers.Program.Build, "--peers:mapper:enabled=false");
        Peers = new HttpClient { BaseAddress = new Uri(peers) };
        _publisher = peersApp.Services.GetRequiredService<RabbitMqEventPublisher>();

        for (var replica = 0; replica < Replicas; replica++)
        {
            await StartAsync(Program.Build, [$"--services:integration_manager:url={peers}", $"--service:name=token-refresher-{replica}", .. RefresherArgs]);
        }
        AllReplicasStartedAt = DateTimeOffset.UtcNow;
    }

    private async Task<(WebApplication App, string Address)> StartAsync(Func<string[], WebApplication> build, params string[] args)
    {
        var app = build(TestHost.Args(RabbitMqUrl, Exchange, DatabaseId, args));
        await app.StartAsync();
        _apps.Add(app);
        return (app, app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }

    /// <summary>An integration of this harness's tenant in the integration-manager stand-in.</summary>
    public async Task<string> AddIntegrationAsync(bool refreshFails = false)
    {
        var id = Guid.NewGuid().ToString();
        var response = await Peers.PutAsJsonAsync($"/_peers/integrations/{id}", new JsonObject
        {
            ["tenantId"] = TenantId,
            ["providerName"] = "sample",
            ["name"] = "token refresher test",
            ["status"] = "connected",
            ["settings"] = new JsonObject { ["refreshFails"] = refreshFails },
        });
        response.EnsureSuccessStatusCode();
        return id;
    }

    public async Task ScriptRefreshAsync(string connectionId, params ScriptedAnswer[] steps)
    {
        var response = await Peers.PutAsJsonAsync($"/_peers/refresh-script/{connectionId}", new ScriptBody([.. steps]));
        response.EnsureSuccessStatusCode();
    }

    public async Task ScriptIntegrationUpdateAsync(string integrationId, params ScriptedAnswer[] steps)
    {
        var response = await Peers.PutAsJsonAsync($"/_peers/update-script/{integrationId}", new ScriptBody([.. steps]));
        response.EnsureSuccessStatusCode();
    }

    public async Task<int> RefreshCallsAsync(string connectionId) =>
        (await Peers.GetFromJsonAsync<JsonObject>($"/_peers/refresh-calls/{connectionId}"))!["calls"]!.GetValue<int>();

    public async Task<JsonArray> IntegrationUpdatesAsync(string integrationId) =>
        (await Peers.GetFromJsonAsync<JsonObject>($"/_peers/integration-updates/{integrationId}"))!["updates"]!.AsArray();

    public async Task<JsonObject> IntegrationAsync(string integrationId) =>
        (await Peers.GetFromJsonAsync<JsonObject>($"/_peers/integrations/{integrationId}"))!;

    /// <summary>Publishes <c>integration.token.refresh-requested</c> as integration-manager would; returns the envelope id.</summary>
    public async Task<string> RequestRefreshAsync(string? connectionId, string? integrationId, string envelopeTenant, string? dataTenant = null, string? messageId = null)
    {
        var id = messageId ?? Guid.NewGuid().ToString();
        var now = DateTimeOffset.UtcNow;
        var data = new TokenRefreshRequested(connectionId!, integrationId!, dataTenant, IsoTime.Format(now.AddMinutes(30)), IsoTime.Format(now));
        var body = EnvelopeCodec.Serialize(id, EventNames.TokenRefreshRequested, now, envelopeTenant, new EventSource("integration-manager", "integration-manager-0"), data, null);
        var properties = new BasicProperties
        {
            Persistent = true,
            MessageId = id,
            Type = EventNames.TokenRefreshRequested,
            ContentType = MessageHeaders.ContentType,
            Headers = new Dictionary<string, object?>(),
        };
        await _publisher.PublishRawAsync(Exchange, EventNames.TokenRefreshRequested, mandatory: true, properties, body, CancellationToken.None);
        return id;
    }

    public IReadOnlyList<TokenRefreshed> Refreshed(string connectionId) =>
        Wire.OfType(EventNames.TokenRefreshed).Select(m => m.Data<TokenRefreshed>()).Where(e => e.ConnectionId == connectionId).ToList();

    public IReadOnlyList<TokenRefreshFailed> RefreshFailed(string connectionId) =>
        Wire.OfType(EventNames.TokenRefreshFailed).Select(m => m.Data<TokenRefreshFailed>()).Where(e => e.ConnectionId == connectionId).ToList();

    /// <summary>Takes what was parked for this harness's queue (each parked message is read once, by whoever asks).</summary>
    public async Task<List<BasicGetResult>> TakeParkedAsync(Func<BasicGetResult, bool> wanted, int expected, TimeSpan timeout)
    {
        await using var connection = await new ConnectionFactory { Uri = new Uri(RabbitMqUrl) }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        var parked = new List<BasicGetResult>();
        var others = new List<ulong>();
        var deadline = DateTime.UtcNow + timeout;
        while (parked.Count < expected && DateTime.UtcNow < deadline)
        {
            if (await channel.BasicGetAsync($"{Queue}.dlq", autoAck: false) is { } message)
            {
                if (wanted(message))
                {
                    parked.Add(message);
                    await channel.BasicAckAsync(message.DeliveryTag, multiple: false);
                }
                else
                {
                    others.Add(message.DeliveryTag);
                }
            }
            else
            {
                await Task.Delay(50);
            }
        }
        // Held unacknowledged while scanning so that the next get moves on; given back for their own tests.
        foreach (var tag in others)
        {
            await channel.BasicNackAsync(tag, multiple: false, requeue: true);
        }
        return parked;
    }

    public async Task<uint> ConsumerCountAsync()
    {
        await using var connection = await new ConnectionFactory { Uri = new Uri(RabbitMqUrl) }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        return (await channel.QueueDeclarePassiveAsync(Queue)).ConsumerCount;
    }

    public async Task DisposeAsync()
    {
        foreach (var app in Enumerable.Reverse(_apps))
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
        await Wire.DisposeAsync();
        Handled.Dispose();
        Peers?.Dispose();
    }
}
