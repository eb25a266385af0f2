using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using IntegrationSync.Shared.Security;

namespace IntegrationSync.Shared.Peers;

/// <summary>integration-manager's routes used by the fleet (reference §6.2), with service tokens.</summary>
public sealed class IntegrationManagerClient(HttpClient http, ServiceTokenIssuer tokens)
{
    public const string Name = "integration-manager";

    public async Task<IntegrationDescriptor?> GetIntegrationAsync(string tenantId, string integrationId, CancellationToken cancellationToken)
    {
        using var request = Request(HttpMethod.Get, $"api/v1/integrations/{Uri.EscapeDataString(integrationId)}", tenantId);
        using var response = await http.SendAsync(request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        await EnsureSuccessAsync(response, "GET integration", cancellationToken);
        var body = await response.Content.ReadFromJsonAsync<JsonNode>(cancellationToken);
        return IntegrationDescriptor.FromJson(body, integrationId);
    }

    private HttpRequestMessage Request(HttpMethod method, string path, string tenantId)
    {
        var request = new HttpRequestMessage(method, path);
        tokens.Authorize(request, tenantId);
        return request;
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, string operation, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new PeerCallException(Name, operation, response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
        }
    }
}
