using IntegrationSync.Shared.Configuration.Options;
using IntegrationSync.Shared.Storage;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace IntegrationSync.TestSupport;

/// <summary>A database of its own on the Cosmos test server, created through the production bootstrap.</summary>
public sealed class CosmosTestDatabase : Xunit.IAsyncLifetime
{
    public CosmosTestDatabase()
        : this(TestInfrastructure.UniqueName("db"))
    {
    }

    private CosmosTestDatabase(string databaseId) => Options.DatabaseId = databaseId;

    /// <summary>A database with a chosen name, e.g. the one the hosts under test are configured with.</summary>
    public static CosmosTestDatabase Named(string databaseId) => new(databaseId);

    /// <summary>A database of the single-container layout: every document kind in <c>containers.data</c>.</summary>
    public static CosmosTestDatabase SingleContainer(string? databaseId = null)
    {
        var database = new CosmosTestDatabase(databaseId ?? TestInfrastructure.UniqueName("db"));
        database.Options.Layout = "single";
        return database;
    }

    public CosmosDbOptions Options { get; } = new()
    {
        Endpoint = TestInfrastructure.CosmosEndpoint,
        Key = TestInfrastructure.CosmosKey,
        ConnectionMode = "gateway",
        LimitToEndpoint = true,
    };

    public CosmosClient Client { get; private set; } = null!;

    public CosmosContainers Containers { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Client = CosmosClientFactory.Create(Options, "tests");
        var options = Microsoft.Extensions.Options.Options.Create(Options);
        await new CosmosBootstrap(Client, options, NullLogger<CosmosBootstrap>.Instance).StartAsync(CancellationToken.None);
        Containers = new CosmosContainers(Client, options);
    }

    public async Task DisposeAsync()
    {
        await Client.GetDatabase(Options.DatabaseId).DeleteAsync();
        Client.Dispose();
    }
}
