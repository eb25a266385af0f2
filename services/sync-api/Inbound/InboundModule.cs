using System.Buffers.Text;
using System.Security.Cryptography;
using Carter;
using IntegrationSync.Shared.Contracts;
using IntegrationSync.Shared.Peers;
using IntegrationSync.Shared.Webhooks;
using IntegrationSync.SyncApi.Auth;
using IntegrationSync.SyncApi.Docs;
using IntegrationSync.SyncApi.Errors;
using IntegrationSync.SyncApi.Tasks;
using Microsoft.Extensions.Options;

namespace IntegrationSync.SyncApi.Inbound;

/// <summary>
/// Provider notifications that trigger syncs. The receiving route is not behind the tenant JWT (providers call it): the
/// integration id in the path finds the tenant through the endpoint the tenant set up, and the provider's signature, key
/// or token proves the call. The tenant sets the endpoint up (and replaces its secret) through its own authenticated routes.
/// </summary>
public sealed class InboundModule : ICarterModule
{
    public const string ReceivePath = "/api/v1/webhooks/inbound";

    public void AddRoutes(IEndpointRouteBuilder app)
    {
        var providers = app.MapGroup(ReceivePath).WithTags("Inbound webhooks").AddEndpointFilter<RouteIdFilter>();
        providers.MapPost("/{integrationId}", (string integrationId, HttpContext http, InboundReceiver receiver) => receiver.ReceiveAsync(http, integrationId, null))
            .WithSummary("A provider's notification (Standard Webhooks, HubSpot v3, Dynamics 365 with its shared key): verified, then 202 and an incremental sync")
            .Produces(StatusCodes.Status202Accepted)
            .Produces<ApiError>(400).Produces<ApiError>(401).Produces<ApiError>(413).Produces<ApiError>(429).Produces<ApiError>(503);
        providers.MapPost("/{integrationId}/{token}", (string integrationId, string token, HttpContext http, InboundReceiver receiver) =>
                receiver.ReceiveAsync(http, integrationId, token))
            .WithSummary("A Salesforce outbound message to the URL with the endpoint's token: verified, then the SOAP acknowledgement (200) and an incremental sync")
            .Produces(StatusCodes.Status200OK, contentType: "text/xml")
            .Produces<ApiError>(400).Produces<ApiError>(401).Produces<ApiError>(413).Produces<ApiError>(429).Produces<ApiError>(503);

        var tenant = app.MapTenantGroup("/api/v1/integrations/{integrationId}/inbound-webhook").WithTags("Inbound webhooks");
        tenant.MapPut("", PutAsync)
            .WithSummary("Set up (or replace) how the integration's provider notifications are verified; a generated secret or token is shown in this answer only")
            .Accepts<InboundEndpointRequest>("application/json")
            .Produces<InboundEndpointDto>()
            .ProducesErrors(400, 404, 409, 413, 503);
        tenant.MapGet("", GetAsync).WithSummary("The integration's inbound endpoint, without its secret").Produces<InboundEndpointDto>().ProducesErrors(404, 503);
        tenant.MapDelete("", DeleteAsync).WithSummary("Stop accepting the integration's provider notifications")
            .Produces(StatusCodes.Status204NoContent).ProducesErrors(404, 503);
    }

    private static async Task<IResult> PutAsync(
        string integrationId, HttpContext http, InboundEndpoints endpoints, IntegrationManagerClient integrations, IOptions<WebhookOptions> options,
        TimeProvider time, ILogger<InboundModule> logger, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(integrationId, out _))
        {
            return ApiError.Validation([new FieldError("integrationId", "must be a UUID")]);
        }
        var (request, errors) = await InboundEndpointRequest.ReadAsync(http.Request, cancellationToken);
        if (request is null)
        {
            return ApiError.Validation(errors);
        }
        var tenantId = Tenant.From(http).Id;
        IntegrationLookup lookup;
        try
        {
            lookup = await integrations.FindAsync(tenantId, integrationId, cancellationToken);
        }
        catch (Exception e) when (e is PeerCallException or HttpRequestException or System.Text.Json.JsonException
            || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            logger.LogWarning("Could not check integration {IntegrationId} with integration-manager: {Error}", integrationId, e.Message);
            return ApiError.Result(503, "DEPENDENCY_UNAVAILABLE", "integration-manager could not be asked about the integration; retry later");
        }
        if (lookup.Integration is null)
        {
            return ApiError.NotFound("INTEGRATION_NOT_FOUND", $"Integration not found: {lookup.Problem}");
        }

        var now = IsoTime.Format(time.GetUtcNow());
        var generated = request.Provider switch
        {
            InboundProviders.Standard when request.Secret is null => WebhookSecrets.Generate(),
            InboundProviders.Dynamics when request.Secret is null => RandomText(),
            _ => null,
        };
        var saved = await endpoints.SaveAsync(new InboundEndpointDocument
        {
            Id = InboundEndpointDocument.IdFor(integrationId),
            TenantId = tenantId,
            IntegrationId = integrationId,
            Provider = request.Provider,
            Secret = request.Secret ?? generated,
            PathToken = request.Provider == InboundProviders.Salesforce ? RandomText() : null,
            OrganizationId = request.OrganizationId,
            EntityType = request.EntityType,
            Filters = request.Filters,
            CreatedAt = now,
            UpdatedAt = now,
        }, cancellationToken);
        if (saved is null)
        {
            return ApiError.Result(StatusCodes.Status409Conflict, "INBOUND_ENDPOINT_CLAIMED", "Another tenant receives this integration's notifications");
        }
        return Results.Ok(Dto(saved, options.Value, withToken: true) with { Secret = generated });
    }

    private static async Task<IResult> GetAsync(
        string integrationId, HttpContext http, InboundEndpoints endpoints, IOptions<WebhookOptions> options, CancellationToken cancellationToken) =>
        await endpoints.ReadAsync(Tenant.From(http).Id, InboundEndpointDocument.IdFor(integrationId), cancellationToken) is { } endpoint
            ? Results.Ok(Dto(endpoint, options.Value, withToken: false))
            : NotFound();

    private static async Task<IResult> DeleteAsync(string integrationId, HttpContext http, InboundEndpoints endpoints, CancellationToken cancellationToken) =>
        await endpoints.DeleteAsync(Tenant.From(http).Id, integrationId, cancellationToken) ? Results.NoContent() : NotFound();

    private static InboundEndpointDto Dto(InboundEndpointDocument e, WebhookOptions options, bool withToken)
    {
        var path = $"{ReceivePath}/{e.IntegrationId}" + (e.PathToken is null ? "" : withToken ? $"/{e.PathToken}" : "/{token}");
        var url = (options.Inbound.PublicBaseUrl?.TrimEnd('/') ?? "") + path;
        return new InboundEndpointDto(e.IntegrationId, e.Provider, url, e.EntityType, e.Filters, e.OrganizationId,
            !string.IsNullOrEmpty(e.Secret) || e.PathToken is not null, e.CreatedAt, e.UpdatedAt);
    }

    private static string RandomText() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    private static IResult NotFound() => ApiError.NotFound("INBOUND_ENDPOINT_NOT_FOUND", "No inbound webhook is set up for this integration");
}
