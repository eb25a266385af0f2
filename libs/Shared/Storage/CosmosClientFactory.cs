using IntegrationSync.Shared.Configuration.Options;
using IntegrationSync.Shared.Contracts;
using Microsoft.Azure.Cosmos;

namespace IntegrationSync.Shared.Storage;

public static class CosmosClientFactory
{
    public static CosmosClient Create(CosmosDbOptions options, string applicationName)
    {
        var clientOptions = new CosmosClientOptions
        {
            ApplicationName = applicationName,
            ConnectionMode = options.ConnectionMode == "gateway" ? ConnectionMode.Gateway : ConnectionMode.Direct,
            LimitToEndpoint = options.LimitToEndpoint,
            UseSystemTextJsonSerializerWithOptions = ContractJson.Options,
            RequestTimeout = TimeSpan.FromSeconds(30),
            MaxRetryAttemptsOnRateLimitedRequests = 9,
            MaxRetryWaitTimeOnRateLimitedRequests = TimeSpan.FromSeconds(30),
        };
        return new CosmosClient(options.Endpoint, options.Key, clientOptions);
    }
}
