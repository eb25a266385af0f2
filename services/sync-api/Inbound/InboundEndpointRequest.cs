using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using IntegrationSync.Shared.Webhooks;
using IntegrationSync.SyncApi.Errors;
using IntegrationSync.SyncApi.Json;
using IntegrationSync.SyncApi.Tasks;

namespace IntegrationSync.SyncApi.Inbound;

/// <param name="Provider"><c>standard</c> (Standard Webhooks), <c>hubspot</c>, <c>salesforce</c> (Outbound Messages) or <c>dynamics</c>.</param>
/// <param name="Secret">standard: a <c>whsec_</c> secret (generated when absent); hubspot: the app's client secret (required);
/// dynamics: the shared key (16 to 256 characters, generated when absent); salesforce: none (a path token is generated).</param>
/// <param name="OrganizationId">salesforce only (required): the 15- or 18-character id of the organization that sends.</param>
/// <param name="EntityType">The entity type every notification syncs; absent: the one the notification names, else all.</param>
/// <param name="Filters">Passed with every notification's sync to the adapter as given, like a trigger's (optional).</param>
public sealed partial record InboundEndpointRequest(string Provider, string? Secret, string? OrganizationId, string? EntityType, JsonObject? Filters)
{
    public static async Task<(InboundEndpointRequest? Request, IReadOnlyList<FieldError> Errors)> ReadAsync(HttpRequest http, CancellationToken cancellationToken)
    {
        var (body, readErrors) = await JsonBody.ReadAsync(http, cancellationToken);
        if (body is null)
        {
            return (null, readErrors);
        }
        body.RejectUnknown("provider", "secret", "organizationId", "entityType", "filters");
        var provider = body.RequiredText("provider");
        if (provider is not null && !InboundProviders.All.Contains(provider))
        {
            body.Error("provider", $"must be one of {string.Join(", ", InboundProviders.All)}");
        }
        var secret = body.Text("secret");
        var problem = (provider, secret) switch
        {
            (InboundProviders.Salesforce, not null) => "is not used by salesforce (its endpoint URL carries a generated token)",
            (InboundProviders.HubSpot, null) => "is required for hubspot: the app's client secret",
            (InboundProviders.HubSpot, { Length: < 8 or > 256 }) => "must be 8 to 256 characters",
            (InboundProviders.Dynamics, { Length: < 16 or > 256 }) => "must be 16 to 256 characters",
            (InboundProviders.Standard, not null) => WebhookSecrets.Problem(secret),
            _ => null,
        };
        if (problem is not null && !body.HasError("secret"))
        {
            body.Error("secret", problem);
        }
        var organizationId = body.Text("organizationId");
        if (provider == InboundProviders.Salesforce && (organizationId is null || !OrganizationIdPattern().IsMatch(organizationId)))
        {
            body.Error("organizationId", "is required for salesforce: 15 or 18 letters and digits");
        }
        else if (provider != InboundProviders.Salesforce && organizationId is not null)
        {
            body.Error("organizationId", "is used by salesforce only");
        }
        var entityType = body.Text("entityType");
        if (entityType is not null && !TriggerSyncRequest.IsEntityType(entityType))
        {
            body.Error("entityType", "must be 1 to 128 letters, digits, _ . : or - starting with a letter or digit");
        }
        var filters = body.Object("filters");
        return body.Errors.Count > 0 ? (null, body.Errors) : (new InboundEndpointRequest(provider!, secret, organizationId, entityType, filters), []);
    }

    [GeneratedRegex("^[A-Za-z0-9]{15}([A-Za-z0-9]{3})?$")]
    private static partial Regex OrganizationIdPattern();
}

/// <summary>
/// An integration's inbound endpoint: the URL to give the provider (for Salesforce, with its token only in the answer that
/// set it up) and, once, a generated secret; reads show neither.
/// </summary>
public sealed record InboundEndpointDto(
    string IntegrationId, string Provider, string Url, string? EntityType, JsonObject? Filters, string? OrganizationId, bool HasSecret, string CreatedAt,
    string UpdatedAt, string? Secret = null);
