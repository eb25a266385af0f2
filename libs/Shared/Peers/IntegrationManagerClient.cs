using IntegrationSync.Shared.Security;

namespace IntegrationSync.Shared.Peers;

/// <summary>integration-manager's routes used by the fleet (reference §6.2), with service tokens.</summary>
public sealed class IntegrationManagerClient(HttpClient http, ServiceTokenIssuer tokens)
{
    public const string Name = "integration-manager";

    public async Task<IntegrationDescriptor?> GetIntegrationAsync(string tenantId, string integrationId, CancellationToken cancellationToken)
    {
        var body = await PeerJson.GetAsync(http, tokens, Name, "GET integration",
            $"api/v1/integrations/{Uri.EscapeDataString(integrationId)}", tenantId, cancellationToken);
        return IntegrationDescriptor.FromJson(body, integrationId);
    }
}
