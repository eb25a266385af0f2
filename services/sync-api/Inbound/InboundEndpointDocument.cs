using System.Text.Json.Nodes;
using IntegrationSync.Shared.Storage;

namespace IntegrationSync.SyncApi.Inbound;

/// <summary>
/// How one integration's provider notifications are verified (container <c>integration_sync_state</c>, partition = the
/// tenant): the provider, its secret (a Standard Webhooks <c>whsec_</c> secret, the HubSpot app's client secret, the
/// Dynamics shared key) or the Salesforce path token and organization id, and the entity type and filters to sync. Set
/// by the tenant through <c>PUT /api/v1/integrations/{id}/inbound-webhook</c>; the secret is never shown again.
/// </summary>
public sealed record InboundEndpointDocument : CosmosDocument
{
    public const string DocType = "inbound_endpoint";

    public override string Type { get; init; } = DocType;
    public required string IntegrationId { get; init; }
    public required string Provider { get; init; }
    public string? Secret { get; init; }
    public string? PathToken { get; init; }
    public string? OrganizationId { get; init; }
    public string? EntityType { get; init; }
    public JsonObject? Filters { get; init; }
    public required string CreatedAt { get; init; }
    public required string UpdatedAt { get; init; }
    public bool Managed { get; init; } = true;

    public static string IdFor(string integrationId) => $"inbound-{integrationId}";
}

/// <summary>
/// Which tenant an integration's inbound endpoint belongs to (same container, one partition of its own, id = the
/// integration id): how an unauthenticated provider call, which names only the integration, finds its tenant with one
/// point read. Claimed once by create, so two tenants can never both own one integration id.
/// </summary>
public sealed record InboundRouteDocument : CosmosDocument
{
    public const string DocType = "inbound_route";
    public const string Partition = "_inbound_routes";

    public override string Type { get; init; } = DocType;
    public required string OwnerTenantId { get; init; }
    public required string CreatedAt { get; init; }
}
