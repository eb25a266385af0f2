using IntegrationSync.Shared.Security;

namespace IntegrationSync.Shared.Peers;

/// <summary>integration-manager's routes used by the fleet (reference §6.2), with service tokens.</summary>
public sealed class IntegrationManagerClient(HttpClient http, ServiceTokenIssuer tokens)
{
    public const string Name = "integration-manager";

    /// <summary>The tenant's integration, or null when <see cref="FindAsync"/> does not find it.</summary>
    public async Task<IntegrationDescriptor?> GetIntegrationAsync(string tenantId, string integrationId, CancellationToken cancellationToken) =>
        (await FindAsync(tenantId, integrationId, cancellationToken)).Integration;

    /// <summary>
    /// The tenant's integration, or why there is none: a 404; an empty answer (<c>{}</c> or <c>{data:{}}</c>, which
    /// Castiel's integration-manager sends for every integration because its route declares a bare response schema); or
    /// a body naming another tenant. Failures of the call itself throw (<see cref="PeerCallException"/>, HTTP errors).
    /// </summary>
    public async Task<IntegrationLookup> FindAsync(string tenantId, string integrationId, CancellationToken cancellationToken)
    {
        var body = await PeerJson.GetAsync(http, tokens, Name, "GET integration",
            $"api/v1/integrations/{Uri.EscapeDataString(integrationId)}", tenantId, cancellationToken);
        if (body is null)
        {
            return IntegrationLookup.Missing($"integration-manager has no integration {integrationId} for this tenant");
        }
        if (PeerJson.Unwrap(body) is not { } integration)
        {
            return IntegrationLookup.Missing($"integration-manager answered an empty object for integration {integrationId}: it does not exist, "
                + "or integration-manager strips the integration's fields (a bare response schema on GET /api/v1/integrations/{id})");
        }
        if (integration["tenantId"]?.GetValueKind() == System.Text.Json.JsonValueKind.String
            && !string.Equals(integration["tenantId"]!.GetValue<string>(), tenantId, StringComparison.OrdinalIgnoreCase))
        {
            return IntegrationLookup.Missing($"integration-manager answered integration {integrationId} of another tenant");
        }
        return new IntegrationLookup(IntegrationDescriptor.FromJson(integration, integrationId), null);
    }
}

/// <summary>The integration, or (when null) <paramref name="Problem"/>: why integration-manager gave none for the tenant.</summary>
public sealed record IntegrationLookup(IntegrationDescriptor? Integration, string? Problem)
{
    public static IntegrationLookup Missing(string problem) => new(null, problem);
}
