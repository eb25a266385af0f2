using System.Text.Json.Nodes;
using Carter;
using IntegrationSync.Shared.Contracts;
using IntegrationSync.Shared.Webhooks;
using IntegrationSync.SyncApi.Auth;
using IntegrationSync.SyncApi.Docs;
using IntegrationSync.SyncApi.Errors;
using IntegrationSync.SyncApi.Paging;

namespace IntegrationSync.SyncApi.Webhooks;

/// <summary>
/// A registration's delivery log, a delivery sent again, and a test ping. The API only writes the delivery documents;
/// event-consumer sends them when they fall due (within <c>webhooks.delivery.poll_interval_ms</c>), through its outbound guard.
/// </summary>
public sealed class WebhookDeliveryModule : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app)
    {
        var group = app.MapTenantGroup("/api/v1/webhooks/{webhookId}").WithTags("Webhooks");
        group.MapGet("/deliveries", ListAsync)
            .WithSummary("The deliveries of a registration, newest first: status, attempts, response codes, latency, next attempt")
            .WithQuery([("status", string.Join(" | ", WebhookDeliveryDocument.Statuses)), .. EndpointDocs.Paging])
            .Produces<Page<WebhookDeliveryDto>>()
            .ProducesErrors(404, 503);
        group.MapPost("/deliveries/{deliveryId}/redeliver", RedeliverAsync)
            .WithSummary("Send a delivery again now, with the same webhook-id and body and a fresh retry schedule (202)")
            .Produces<WebhookDeliveryDto>(StatusCodes.Status202Accepted)
            .ProducesErrors(404, 409, 503);
        group.MapPost("/ping", PingAsync)
            .WithSummary("Send a signed integration.webhook.ping to the registration (also while it is disabled); one attempt, its outcome in the log (202)")
            .Produces<WebhookDeliveryDto>(StatusCodes.Status202Accepted)
            .ProducesErrors(404, 503);
    }

    private static async Task<IResult> ListAsync(
        string webhookId, HttpContext http, WebhookRepository webhooks, WebhookDeliveryRepository deliveries, CancellationToken cancellationToken)
    {
        var tenantId = Tenant.From(http).Id;
        var query = new ListQuery(http.Request.Query, tenantId, deliveries.OfKind, "deliveryId")
            .Equal("webhookId", webhookId)
            .OneOf("status", "status", WebhookDeliveryDocument.Statuses);
        var page = PageRequest.Read(http, query.Errors);
        if (page is null || query.Errors.Count > 0)
        {
            return ApiError.Validation(query.Errors);
        }
        if (await webhooks.ReadAsync(tenantId, webhookId, cancellationToken) is null)
        {
            return WebhookModule.NotFound();
        }
        var (items, next) = await deliveries.QueryPageAsync(tenantId, query.NewestFirst(), page.Limit, page.CosmosContinuation, cancellationToken);
        return Results.Ok(new Page<WebhookDeliveryDto>(items.Select(WebhookDeliveryDto.From).ToList(), PageRequest.Encode(http, next)));
    }

    private static async Task<IResult> RedeliverAsync(
        string webhookId, string deliveryId, HttpContext http, WebhookRepository webhooks, WebhookDeliveryRepository deliveries, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var tenantId = Tenant.From(http).Id;
        var webhook = await webhooks.ReadAsync(tenantId, webhookId, cancellationToken);
        if (webhook is null)
        {
            return WebhookModule.NotFound();
        }
        if (!webhook.EffectiveActive)
        {
            return ApiError.Result(StatusCodes.Status409Conflict, "WEBHOOK_DISABLED",
                $"The webhook is disabled{(webhook.DisabledReason is { } why ? $" ({why})" : "")}; enable it (PUT active: true) before redelivering");
        }
        var now = IsoTime.Format(time.GetUtcNow());
        var redelivered = await deliveries.UpdateAsync(tenantId, deliveryId, d => d.WebhookId != webhook.EffectiveId ? null : d with
        {
            Status = WebhookDeliveryDocument.Pending,
            RoundAttempts = 0,
            NextAttemptAt = now,
            ClaimedBy = null,
            ClaimToken = null,
            CompletedAt = null,
            Ttl = null,
            UpdatedAt = now,
        }, cancellationToken);
        return redelivered is null
            ? ApiError.NotFound("DELIVERY_NOT_FOUND", "Delivery not found for this webhook")
            : Results.Json(WebhookDeliveryDto.From(redelivered), statusCode: StatusCodes.Status202Accepted);
    }

    private static async Task<IResult> PingAsync(
        string webhookId, HttpContext http, WebhookRepository webhooks, WebhookDeliveryRepository deliveries, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var tenantId = Tenant.From(http).Id;
        var webhook = await webhooks.ReadAsync(tenantId, webhookId, cancellationToken);
        if (webhook is null)
        {
            return WebhookModule.NotFound();
        }
        var now = IsoTime.Format(time.GetUtcNow());
        var id = WebhookDeliveryDocument.NewId();
        var payload = new JsonObject
        {
            ["type"] = WebhookEvents.Ping,
            ["timestamp"] = now,
            ["data"] = new JsonObject { ["webhookId"] = webhook.EffectiveId, ["integrationId"] = webhook.IntegrationId },
        };
        var ping = await deliveries.CreateAsync(new WebhookDeliveryDocument
        {
            Id = id,
            DeliveryId = id,
            TenantId = tenantId,
            Kind = WebhookDeliveryDocument.PingKind,
            WebhookId = webhook.EffectiveId,
            IntegrationId = webhook.IntegrationId,
            EventType = WebhookEvents.Ping,
            Payload = payload.ToJsonString(ContractJson.Options),
            Status = WebhookDeliveryDocument.Pending,
            NextAttemptAt = now,
            CreatedAt = now,
            UpdatedAt = now,
        }, cancellationToken);
        return Results.Json(WebhookDeliveryDto.From(ping), statusCode: StatusCodes.Status202Accepted);
    }
}
