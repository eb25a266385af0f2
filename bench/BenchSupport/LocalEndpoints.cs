using IntegrationSync.TestSupport;

namespace IntegrationSync.Bench.Support;

/// <summary>
/// The broker and Cosmos endpoint a harness runs against (<c>RABBITMQ_URL</c>, <c>COSMOS_DB_ENDPOINT</c>), refused unless
/// they are loopback: benches create and delete exchanges and databases and load what they reach.
/// </summary>
public static class LocalEndpoints
{
    public static async Task<string> RabbitMqUrlAsync() => RequireLoopback("RABBITMQ_URL", await TestInfrastructure.RabbitMqUrlAsync());

    public static string CosmosEndpoint => RequireLoopback("COSMOS_DB_ENDPOINT", TestInfrastructure.CosmosEndpoint);

    /// <summary><c>COSMOS_DB_KEY</c> when set, else the key the local test server accepts (any base64 key), so a shell with only
    /// scripts/dev-up.sh's .run/dev.env needs nothing more.</summary>
    public static string CosmosKey =>
        Environment.GetEnvironmentVariable("COSMOS_DB_KEY") is { Length: > 0 } key ? key : TestInfrastructure.CosmosKey;

    /// <summary>A literal loopback address or <c>localhost</c>; names are not resolved, so nothing is asked of a DNS server either.</summary>
    public static bool IsLoopback(string url) => Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.IsLoopback;

    private static string RequireLoopback(string name, string url) =>
        IsLoopback(url) ? url : throw new InvalidOperationException($"{name} must be a loopback address for a benchmark (127.0.0.0/8, ::1, localhost): {url}");
}
