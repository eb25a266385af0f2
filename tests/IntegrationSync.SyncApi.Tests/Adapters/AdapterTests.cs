using System.Text.Json.Nodes;
using IntegrationSync.Shared.Adapters;

namespace IntegrationSync.SyncApi.Tests.Adapters;

public sealed class AdapterTests(ApiHost host) : IClassFixture<ApiHost>
{
    [Fact]
    public async Task The_adapters_are_listed_with_capabilities_and_settings()
    {
        using var client = host.ClientFor(Guid.NewGuid().ToString());

        var adapters = JsonNode.Parse(await client.GetStringAsync("/api/v1/adapters"))!.AsArray();

        Assert.Equal(AdapterCatalog.All.Select(a => a.Name), adapters.Select(a => a!["name"]!.GetValue<string>()));
        var salesforce = adapters.Single(a => a!["name"]!.GetValue<string>() == "salesforce")!;
        Assert.Contains("write", salesforce["capabilities"]!.AsArray().Select(c => c!.GetValue<string>()));
        Assert.NotNull(salesforce["settings"]!["instanceUrl"]);
    }
}
