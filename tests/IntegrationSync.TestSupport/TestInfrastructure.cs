using Testcontainers.RabbitMq;

namespace IntegrationSync.TestSupport;

/// <summary>
/// The broker and the Cosmos test server the tests run against: from <c>RABBITMQ_URL</c> and
/// <c>COSMOS_DB_ENDPOINT</c> (set by scripts/test.sh), else a Testcontainers broker where Docker runs.
/// Missing infrastructure fails the test with what to start; it never skips.
/// </summary>
public static class TestInfrastructure
{
    private const string Hint = "Run ./scripts/test.sh, which installs and starts RabbitMQ and the Cosmos test server, "
        + "or export RABBITMQ_URL and COSMOS_DB_ENDPOINT yourself.";

    private static readonly Lazy<Task<string>> Broker = new(ResolveBrokerAsync);

    public const string CosmosKey = "C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==";

    public static Task<string> RabbitMqUrlAsync() => Broker.Value;

    public static string CosmosEndpoint =>
        Environment.GetEnvironmentVariable("COSMOS_DB_ENDPOINT") is { Length: > 0 } endpoint
            ? endpoint
            : throw new InvalidOperationException($"COSMOS_DB_ENDPOINT is not set. {Hint}");

    public static string JwtSecret =>
        Environment.GetEnvironmentVariable("JWT_SECRET") is { Length: >= 32 } secret ? secret : "integration-sync-tests-secret-0123456789abcdef";

    /// <summary>Unique, lowercase, name-safe suffix so tests sharing one broker and server never meet.</summary>
    public static string UniqueName(string prefix) => $"{prefix}_{Guid.NewGuid():N}"[..(prefix.Length + 13)];

    private static async Task<string> ResolveBrokerAsync()
    {
        if (Environment.GetEnvironmentVariable("RABBITMQ_URL") is { Length: > 0 } url)
        {
            return url;
        }
        try
        {
            var container = new RabbitMqBuilder("rabbitmq:3.13-management").Build();
            await container.StartAsync();
            return container.GetConnectionString();
        }
        catch (Exception e)
        {
            throw new InvalidOperationException($"RABBITMQ_URL is not set and no Docker engine could start a broker ({e.GetType().Name}). {Hint}", e);
        }
    }
}
