using System.Net.Http.Json;
using System.Text.Json.Nodes;
using IntegrationSync.CastielPeers.Stubs;
using IntegrationSync.TestSupport.VendorFakes;

namespace IntegrationSync.Fleet.Tests.Runner.Vendors;

/// <summary>Integrations whose adapter talks to an in-process vendor fake, with the fake's token in the secret-management stand-in.</summary>
public static class VendorIntegrations
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);

    public static async Task<string> AddSalesforceAsync(this FleetHarness fleet, FakeSalesforce vendor, JsonObject? settings = null)
    {
        var secret = $"salesforce-{Guid.NewGuid():N}";
        await fleet.SetSecretAsync(secret, SalesforceCredentials(vendor, vendor.Faults.ValidToken));
        return await fleet.AddIntegrationAsync("salesforce", settings ?? [], secret);
    }

    public static JsonObject SalesforceCredentials(FakeSalesforce vendor, string accessToken) =>
        new() { ["instanceUrl"] = vendor.InstanceUrl, ["accessToken"] = accessToken };

    public static async Task<string> AddHubSpotAsync(this FleetHarness fleet, FakeHubSpot vendor, int pageSize)
    {
        var secret = $"hubspot-{Guid.NewGuid():N}";
        await fleet.SetSecretAsync(secret, new JsonObject { ["accessToken"] = vendor.Faults.ValidToken });
        return await fleet.AddIntegrationAsync("hubspot", new JsonObject { ["baseUrl"] = vendor.BaseUrl, ["pageSize"] = pageSize }, secret);
    }

    public static async Task<string> AddDynamicsAsync(this FleetHarness fleet, FakeDynamics vendor, int pageSize)
    {
        var secret = $"dynamics-{Guid.NewGuid():N}";
        await fleet.SetSecretAsync(secret, new JsonObject { ["accessToken"] = vendor.Faults.ValidToken });
        return await fleet.AddIntegrationAsync("dynamics365", new JsonObject { ["environmentUrl"] = vendor.EnvironmentUrl, ["pageSize"] = pageSize }, secret);
    }

    /// <summary>integration-manager refuses the connection's next refresh with a 400 carrying <paramref name="error"/>.</summary>
    public static async Task RefreshWillFailAsync(this FleetHarness fleet, string connectionId, string error) =>
        (await fleet.Peers.PutAsJsonAsync($"/_peers/refresh-script/{connectionId}", new ScriptBody([new ScriptedAnswer(Status: 400, Error: error)])))
            .EnsureSuccessStatusCode();

    /// <summary>Opportunities one second apart; their ids in the order the query reads them.</summary>
    public static List<string> Seed(this FakeSalesforce vendor, int count) =>
        Enumerable.Range(0, count).Select(i => (string)vendor.Add($"Deal {i}", T0.AddSeconds(i))["Id"]!).ToList();

    /// <summary>Deals one second apart; their ids in the order the search reads them.</summary>
    public static List<string> Seed(this FakeHubSpot vendor, int count) =>
        Enumerable.Range(0, count).Select(i => (string)vendor.Add($"Deal {i}", T0.AddSeconds(i))["id"]!).ToList();
}
