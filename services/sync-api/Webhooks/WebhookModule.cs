using Carter;
using IntegrationSync.Shared.Contracts;
using IntegrationSync.Shared.Security.Outbound;
using IntegrationSync.Shared.Webhooks;
using IntegrationSync.SyncApi.Auth;
using IntegrationSync.SyncApi.Docs;
using IntegrationSync.SyncApi.Errors;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Options;

namespace IntegrationSync.SyncApi.Webhooks;

/// <summary>
/// Outbound webhook registrations. The secret is generated (<c>whsec_</c>) when not given and shown only in the 201 and in
/// the answer of a rotation.
/// </summary>
public sealed class WebhookModule : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app)
    {
        var group = app.MapTenantGroup("/api/v1").WithTags("Webhooks");
        group.MapPost("/webhooks", CreateAsync)
            .WithSummary("Register a webhook; the 201 is the only answer that shows the secret")
            .Accepts<CreateWebhookRequest>("application/json")
            .Produces<WebhookCreatedDto>(StatusCodes.Status201Created)
            .ProducesErrors(400, 413, 503);
        group.MapGet("/webhooks/{webhookId}", GetAsync)
            .WithSummary("Read a webhook registration")
            .Produces<WebhookDto>()
            .ProducesErrors(404, 503);
        group.MapPut("/webhooks/{webhookId}", UpdateAsync)
            .WithSummary("Change url, events, active or secret (no other field)")
            .Accepts<UpdateWebhookRequest>("application/json")
            .Produces<WebhookDto>()
            .ProducesErrors(400, 404, 413, 503);
        group.MapDelete("/webhooks/{webhookId}", DeleteAsync)
            .WithSummary("Delete a webhook registration")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesErrors(404, 503);
        group.MapGet("/integrations/{integrationId}/webhooks", ListAsync)
            .WithSummary("The webhook registrations of an integration")
            .Produces<List<WebhookDto>>()
            .ProducesErrors(400, 503);
        group.MapPost("/webhooks/{webhookId}/rotate-secret", RotateSecretAsync)
            .WithSummary("Replace the signing secret with a new one, shown in this answer only; the old one still signs deliveries for webhooks.secret_rotation_overlap_seconds")
            .Produces<SecretRotatedDto>()
            .ProducesErrors(404, 503);
    }

    private static async Task<IResult> CreateAsync(
        HttpContext http, WebhookRepository webhooks, IOptions<WebhookOptions> options, OutboundPolicy policy, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var (request, errors) = await WebhookRequests.ReadCreateAsync(http.Request, options.Value, policy, cancellationToken);
        if (request is null)
        {
            return ApiError.Validation(errors);
        }
        var now = IsoTime.Format(time.GetUtcNow());
        var id = Guid.NewGuid().ToString();
        var secret = request.Secret ?? WebhookSecrets.Generate();
        var stored = await webhooks.CreateAsync(new WebhookDocument
        {
            Id = id,
            WebhookId = id,
            TenantId = Tenant.From(http).Id,
            IntegrationId = request.IntegrationId,
            Url = request.Url,
            Events = request.Events,
            Secret = secret,
            Active = request.Active,
            CreatedAt = now,
            UpdatedAt = now,
        }, cancellationToken);
        var dto = WebhookDto.From(stored);
        return Results.Json(
            new WebhookCreatedDto(dto.WebhookId, dto.TenantId, dto.IntegrationId, dto.Url, dto.Events, dto.Active, true, secret, dto.CreatedAt, dto.UpdatedAt),
            statusCode: StatusCodes.Status201Created);
    }

    private static async Task<IResult> GetAsync(string webhookId, HttpContext http, WebhookRepository webhooks, CancellationToken cancellationToken)
    {
        var webhook = await webhooks.ReadAsync(Tenant.From(http).Id, webhookId, cancellationToken);
        return webhook is null ? NotFound() : Results.Ok(WebhookDto.From(webhook));
    }

    private static async Task<IResult> UpdateAsync(
        string webhookId, HttpContext http, WebhookRepository webhooks, IOptions<WebhookOptions> options, OutboundPolicy policy,
        TimeProvider time, CancellationToken cancellationToken)
    {
        var (request, errors) = await WebhookRequests.ReadUpdateAsync(http.Request, options.Value, policy, cancellationToken);
        if (request is null)
        {
            return ApiError.Validation(errors);
        }
        var now = time.GetUtcNow();
        var overlap = TimeSpan.FromSeconds(options.Value.SecretRotationOverlapSeconds);
        // Writes our field names; a foreign-shaped (integration-manager) registration keeps its own fields, which ours now override.
        var updated = await webhooks.UpdateAsync(Tenant.From(http).Id, webhookId, w =>
        {
            var next = w with
            {
                Url = request.Url ?? w.EffectiveUrl,
                Events = request.Events ?? w.Events,
                Active = request.Active ?? w.EffectiveActive,
                Secret = w.EffectiveSecret,
                UpdatedAt = IsoTime.Format(now),
            };
            if (request.Active == true)
            {
                next = next with { ConsecutiveFailures = 0, DisabledReason = null, DisabledAt = null };
            }
            return request.Secret is { } secret && secret != w.EffectiveSecret ? WebhookSecrets.Rotate(next, secret, overlap, now) : next;
        }, cancellationToken);
        return updated is null ? NotFound() : Results.Ok(WebhookDto.From(updated));
    }

    private static async Task<IResult> RotateSecretAsync(
        string webhookId, HttpContext http, WebhookRepository webhooks, IOptions<WebhookOptions> options, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var secret = WebhookSecrets.Generate();
        var rotated = await webhooks.UpdateAsync(Tenant.From(http).Id, webhookId,
            w => WebhookSecrets.Rotate(w, secret, TimeSpan.FromSeconds(options.Value.SecretRotationOverlapSeconds), now) with { UpdatedAt = IsoTime.Format(now) },
            cancellationToken);
        return rotated is null
            ? NotFound()
            : Results.Ok(new SecretRotatedDto(rotated.EffectiveId, secret, rotated.PreviousSecrets?.Max(r => r.ExpiresAt), IsoTime.Format(now)));
    }

    private static async Task<IResult> DeleteAsync(string webhookId, HttpContext http, WebhookRepository webhooks, CancellationToken cancellationToken) =>
        await webhooks.DeleteAsync(Tenant.From(http).Id, webhookId, cancellationToken) ? Results.NoContent() : NotFound();

    private static async Task<IResult> ListAsync(string integrationId, HttpContext http, WebhookRepository webhooks, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(integrationId, out _))
        {
            return ApiError.Validation([new FieldError("integrationId", "must be a UUID")]);
        }
        var tenantId = Tenant.From(http).Id;
        var query = new QueryDefinition($"SELECT * FROM c WHERE {webhooks.OfKind} AND c.tenantId = @tenantId AND c.integrationId = @integrationId")
            .WithParameter("@tenantId", tenantId)
            .WithParameter("@integrationId", integrationId);
        var items = await webhooks.QueryAsync(tenantId, query, maxItems: null, cancellationToken);
        // Sorted here: ORDER BY would drop integration-manager documents that have no createdAt.
        return Results.Ok(items.OrderByDescending(w => w.CreatedAt, StringComparer.Ordinal).Select(WebhookDto.From).ToList());
    }

    internal static IResult NotFound() => ApiError.NotFound("WEBHOOK_NOT_FOUND", "Webhook not found");
}
