using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationSync.TestSupport;

/// <summary>Starts a real host (its Program.Build) on 127.0.0.1:0 against the test broker exchange and a Cosmos database of the test's own.</summary>
public static class TestHost
{
    /// <summary>The arguments every test host starts with; <paramref name="cosmosEndpoint"/> overrides the test server (an outage drill).</summary>
    public static string[] Args(string rabbitMqUrl, string exchange, string databaseId, IEnumerable<string> extra, string? cosmosEndpoint = null) =>
    [
        $"--rabbitmq:url={rabbitMqUrl}",
        $"--rabbitmq:exchange={exchange}",
        $"--rabbitmq:queue_prefix={exchange}",
        "--rabbitmq:retry_delays_ms:0=200", "--rabbitmq:retry_delays_ms:1=500", "--rabbitmq:retry_delays_ms:2=1000",
        $"--cosmos_db:endpoint={cosmosEndpoint ?? TestInfrastructure.CosmosEndpoint}",
        $"--cosmos_db:key={TestInfrastructure.CosmosKey}",
        $"--cosmos_db:database_id={databaseId}",
        "--cosmos_db:connection_mode=gateway",
        "--cosmos_db:limit_to_endpoint=true",
        $"--jwt:secret={TestInfrastructure.JwtSecret}",
        "--server:host=127.0.0.1",
        "--server:port=0",
        "--logging:level=Warning",
        .. extra,
    ];

    public static async Task<(WebApplication App, string Address)> StartAsync(Func<string[], WebApplication> build, string[] args)
    {
        var app = build(args);
        await app.StartAsync();
        return (app, app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }
}
