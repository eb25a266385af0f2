using System.Net.Http.Headers;
using IntegrationSync.Shared.Configuration.Options;
using IntegrationSync.Shared.Messaging;
using IntegrationSync.TestSupport;
using IntegrationSync.TestSupport.VendorFakes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;

namespace IntegrationSync.SyncApi.Tests;

/// <summary>
/// The real sync-api host (its own Program) on a loopback port against the broker and the Cosmos test server, with
/// an exchange, queue prefix and database of its own, and an integration-manager fake that triggers are checked
/// against (<see cref="IntegrationOf"/>); no runner, so triggered tasks stay <c>pending</c>.
/// </summary>
public class ApiHost : IAsyncLifetime
{
    private WebApplication? _app;

    public string Exchange { get; } = TestInfrastructure.UniqueName("api");
    public string DatabaseId { get; } = TestInfrastructure.UniqueName("apidb");
    public string RabbitMqUrl { get; private set; } = "";
    public Uri BaseAddress { get; private set; } = null!;
    public WireTap Wire { get; private set; } = null!;
    public FakeIntegrationManager IntegrationManager { get; private set; } = null!;
    public IServiceProvider Services => _app!.Services;

    protected virtual string CosmosEndpoint => TestInfrastructure.CosmosEndpoint;

    protected virtual IEnumerable<string> ExtraArgs => [];

    /// <summary>False where a test needs the exchange to have no other binding (the tap listens on <c>#</c>).</summary>
    protected virtual bool TapWire => true;

    /// <summary>False where the test stops its own Cosmos server: there is nothing left to delete.</summary>
    protected virtual bool DeleteDatabaseOnDispose => true;

    public virtual async Task InitializeAsync()
    {
        RabbitMqUrl = await TestInfrastructure.RabbitMqUrlAsync();
        IntegrationManager = await FakeIntegrationManager.StartAsync(TestInfrastructure.JwtSecret);
        if (TapWire)
        {
            Wire = await WireTap.StartAsync(RabbitMqUrl, Exchange);
        }
        _app = Program.Build(TestHost.Args(RabbitMqUrl, Exchange, DatabaseId,
            [$"--services:integration_manager:url={IntegrationManager.BaseUrl}", "--bidirectional:resolve_wait_seconds=2", .. ExtraArgs], CosmosEndpoint));
        await _app.StartAsync();
        BaseAddress = new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }

    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    /// <summary>A new integration of <paramref name="tenantId"/> that integration-manager knows, as a trigger needs.</summary>
    public string IntegrationOf(string tenantId) => IntegrationManager.AddIntegration(tenantId);

    /// <summary>A client authenticated as a user of <paramref name="tenantId"/>.</summary>
    public HttpClient ClientFor(string tenantId, string? userId = null)
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.UserToken(tenantId, TestInfrastructure.JwtSecret, userId));
        client.DefaultRequestHeaders.Add("X-Tenant-ID", tenantId);
        return client;
    }

    public HttpClient AnonymousClient() => new() { BaseAddress = BaseAddress };

    /// <summary>Deletes a queue of this host's topology behind its back, e.g. to make a mandatory publish unroutable.</summary>
    public async Task DeleteQueueAsync(Func<FleetTopology, QueueDefinition> queue)
    {
        var factory = new ConnectionFactory { Uri = new Uri(RabbitMqUrl) };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        await channel.QueueDeleteAsync(queue(Get<FleetTopology>()).Name);
    }

    public virtual async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await DeleteTopologyAsync();
            if (DeleteDatabaseOnDispose)
            {
                await DeleteDatabaseAsync();
            }
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
        if (TapWire)
        {
            await Wire.DisposeAsync();
        }
        if (IntegrationManager is not null)
        {
            await IntegrationManager.DisposeAsync();
        }
    }

    private async Task DeleteTopologyAsync()
    {
        var topology = Get<FleetTopology>();
        var options = Get<IOptions<RabbitMqOptions>>().Value;
        var factory = new ConnectionFactory { Uri = new Uri(RabbitMqUrl) };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        foreach (var queue in topology.Queues)
        {
            foreach (var name in options.RetryDelaysMs.Distinct().Select(queue.RetryQueue).Append(queue.Name).Append(queue.DeadLetterQueue))
            {
                await channel.QueueDeleteAsync(name);
            }
        }
        await channel.ExchangeDeleteAsync(Exchange);
    }

    private Task DeleteDatabaseAsync() => Get<CosmosClient>().GetDatabase(DatabaseId).DeleteAsync();
}
