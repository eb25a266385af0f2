using IntegrationSync.Shared.Contracts;
using IntegrationSync.Shared.Contracts.Events;
using IntegrationSync.Shared.Messaging;
using IntegrationSync.Shared.Webhooks;
using IntegrationSync.SyncApi.Errors;
using IntegrationSync.SyncApi.Tasks;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace IntegrationSync.SyncApi.Inbound;

/// <summary>
/// <c>POST /api/v1/webhooks/inbound/{integrationId}[/{token}]</c>: read the body (at most <c>max_body_bytes</c>), find the
/// integration's endpoint and so its tenant, verify the provider's signature, key or token before anything is parsed,
/// refuse stale and replayed notifications, spend one of the integration's notification tokens, remember the notification
/// and publish <c>integration.webhook.received</c>. Refusals change nothing. Bounded by <c>response_timeout_ms</c>.
/// </summary>
public sealed class InboundReceiver(
    InboundEndpoints endpoints,
    InboundReceipts receipts,
    TriggerRateLimiter rates,
    IEventPublisher publisher,
    IOptions<WebhookOptions> options,
    TimeProvider time,
    ILogger<InboundReceiver> logger)
{
    private static readonly TimeSpan CleanupBound = TimeSpan.FromSeconds(5);

    public async Task<IResult> ReceiveAsync(HttpContext http, string integrationId, string? token)
    {
        var settings = options.Value.Inbound;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
        deadline.CancelAfter(settings.ResponseTimeoutMs);
        var cancellationToken = deadline.Token;

        var body = await InboundBody.ReadAsync(http.Request, settings.MaxBodyBytes, cancellationToken);
        if (body is null)
        {
            return ApiError.Result(StatusCodes.Status413PayloadTooLarge, "PAYLOAD_TOO_LARGE", $"A notification may be at most {settings.MaxBodyBytes} bytes");
        }
        var endpoint = await endpoints.LookupAsync(integrationId, cancellationToken);
        if (endpoint is null)
        {
            return Refused(InboundVerdict.Unverified("The notification could not be verified"));
        }
        var request = new InboundRequest(http.Request.Method, SignedUrl(http, settings), http.Request.Headers, http.Request.Query, token, body,
            time.GetUtcNow(), TimeSpan.FromSeconds(settings.TimestampToleranceSeconds));
        var verdict = endpoint.Provider switch
        {
            InboundProviders.HubSpot => HubSpotSignature.Verify(request, endpoint.Secret ?? ""),
            InboundProviders.Salesforce => SalesforceOutboundMessage.Verify(request, endpoint),
            InboundProviders.Dynamics => DynamicsWebhook.Verify(request, endpoint.Secret ?? ""),
            _ => StandardWebhookInbound.Verify(request, endpoint.Secret ?? ""),
        };
        if (!verdict.Accepted)
        {
            logger.LogInformation("Inbound {Provider} notification for integration {IntegrationId} refused: {Code}", endpoint.Provider, integrationId, verdict.Code);
            return Refused(verdict);
        }

        if (await rates.TryTakeAsync(endpoint.TenantId, $"inbound-rate-{integrationId}", settings.RatePerMinute, cancellationToken) is { } wait)
        {
            var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
            http.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return ApiError.Result(StatusCodes.Status429TooManyRequests, "RATE_LIMITED", $"Too many notifications for this integration; retry in {seconds} s");
        }
        var receipt = new InboundReceiptDocument
        {
            Id = InboundReceiptDocument.IdFor(integrationId, verdict.EventKey!),
            TenantId = endpoint.TenantId,
            IntegrationId = integrationId,
            Provider = endpoint.Provider,
            ReceivedAt = IsoTime.Format(request.Now),
            Ttl = settings.ReplayRetentionSeconds,
        };
        if (!await receipts.TryRecordAsync(receipt, cancellationToken))
        {
            // Salesforce sends a message until it is acknowledged: acknowledge it again, without a second sync.
            return endpoint.Provider == InboundProviders.Salesforce
                ? Acknowledged(endpoint)
                : Refused(new InboundVerdict(null, null, 401, InboundVerdict.Replayed, "This notification was received before"));
        }
        try
        {
            var entityType = endpoint.EntityType ?? (verdict.EntityType is { } derived && TriggerSyncRequest.IsEntityType(derived) ? derived : null);
            await publisher.PublishAsync(new WebhookReceived(integrationId, endpoint.TenantId, entityType, endpoint.Filters,
                WebhookId: receipt.Id, ReceivedAt: receipt.ReceivedAt), endpoint.TenantId, cancellationToken: cancellationToken);
        }
        catch (Exception e)
        {
            logger.LogWarning("Inbound notification for integration {IntegrationId} not passed on ({Error}); the provider's next attempt is accepted",
                integrationId, e.Message);
            using var bound = new CancellationTokenSource(CleanupBound);
            await receipts.ForgetAsync(receipt, bound.Token);
            return ApiError.Result(StatusCodes.Status503ServiceUnavailable, "DEPENDENCY_UNAVAILABLE", "The notification could not be queued; send it again");
        }
        return Acknowledged(endpoint);
    }

    private static IResult Acknowledged(InboundEndpointDocument endpoint) => endpoint.Provider == InboundProviders.Salesforce
        ? Results.Text(SalesforceOutboundMessage.Ack, "text/xml; charset=utf-8", statusCode: StatusCodes.Status200OK)
        : Results.Json(new { received = true }, statusCode: StatusCodes.Status202Accepted);

    private static IResult Refused(InboundVerdict verdict) => ApiError.Result(verdict.Status, verdict.Code!, verdict.Message!);

    /// <summary>The URL as the provider called it (HubSpot signs it): the public base URL when configured, and the raw path and query.</summary>
    private static string SignedUrl(HttpContext http, InboundWebhookOptions settings)
    {
        var target = http.Features.Get<IHttpRequestFeature>()?.RawTarget ?? $"{http.Request.PathBase}{http.Request.Path}{http.Request.QueryString}";
        var origin = string.IsNullOrEmpty(settings.PublicBaseUrl) ? $"{http.Request.Scheme}://{http.Request.Host}" : settings.PublicBaseUrl.TrimEnd('/');
        return origin + target;
    }
}
