using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using IntegrationSync.Shared.Security.Outbound;
using IntegrationSync.Shared.Webhooks;
using Microsoft.Extensions.Options;

namespace IntegrationSync.EventConsumer.Webhooks;

/// <summary>
/// One POST of a delivery, signed per Standard Webhooks with every secret the registration signs with now, through the
/// outbound guard (the resolved address is checked when connecting; redirects are not followed), bounded by
/// <c>webhooks.delivery.timeout_seconds</c>. Never throws for the receiver's faults: they are the result.
/// </summary>
public sealed class WebhookSender(IHttpClientFactory clients, OutboundPolicy policy, IOptions<WebhookOptions> options, TimeProvider time)
{
    public const string ClientName = "webhook-delivery";
    private static readonly ProductInfoHeaderValue UserAgent = new("Castiel-Webhooks", "1.0");

    public async Task<AttemptResult> SendAsync(WebhookDocument webhook, WebhookDeliveryDocument delivery, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!Uri.TryCreate(webhook.EffectiveUrl, UriKind.Absolute, out var url)
            || !(url.Scheme == Uri.UriSchemeHttps || (settings.AllowHttp && url.Scheme == Uri.UriSchemeHttp)))
        {
            return new AttemptResult(null, TimeSpan.Zero, settings.AllowHttp ? "the URL is not an absolute http(s) URL" : "the URL is not an absolute https URL");
        }
        if (policy.RefusalOf(url) is { } kind)
        {
            return new AttemptResult(null, TimeSpan.Zero, $"refused: '{HostPattern.Normalize(url.Host)}' is a {kind}, not a public host");
        }
        var keys = WebhookSecrets.SigningKeys(webhook, time.GetUtcNow());
        if (keys.Count == 0)
        {
            return new AttemptResult(null, TimeSpan.Zero, "the registration has no signing secret");
        }

        var body = Encoding.UTF8.GetBytes(delivery.Payload);
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.UserAgent.Add(UserAgent);
        request.Headers.Add(StandardWebhookSignature.IdHeader, delivery.DeliveryId);
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds();
        request.Headers.Add(StandardWebhookSignature.TimestampHeader, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add(StandardWebhookSignature.SignatureHeader, StandardWebhookSignature.Header(keys, delivery.DeliveryId, timestamp, body));
        request.Headers.Add(WebhookEvents.EventHeader, delivery.EventType);

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.Delivery.Timeout);
        var watch = Stopwatch.StartNew();
        try
        {
            using var response = await clients.CreateClient(ClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var text = await ReadPrefixAsync(response.Content, settings.Delivery.ResponseBodyBytes, timeout.Token);
            var status = (int)response.StatusCode;
            return new AttemptResult(status, watch.Elapsed, response.IsSuccessStatusCode ? null : $"HTTP {status}", text, RetryAfter(response.Headers.RetryAfter));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new AttemptResult(null, watch.Elapsed, $"no answer within {settings.Delivery.TimeoutSeconds} s");
        }
        catch (HttpRequestException e)
        {
            return new AttemptResult(null, watch.Elapsed, OutboundRefusedException.Find(e) is { } refused
                ? $"refused: {refused.Message}"
                : $"connection failed ({e.HttpRequestError})");
        }
    }

    private TimeSpan? RetryAfter(RetryConditionHeaderValue? header) => header switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - time.GetUtcNow(),
        _ => null,
    };

    /// <summary>At most <paramref name="limit"/> bytes of the body, as text; the rest is never read.</summary>
    private static async Task<string?> ReadPrefixAsync(HttpContent content, int limit, CancellationToken cancellationToken)
    {
        if (limit == 0)
        {
            return null;
        }
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[limit + 1];
        var read = 0;
        int chunk;
        while (read < buffer.Length && (chunk = await stream.ReadAsync(buffer.AsMemory(read), cancellationToken)) > 0)
        {
            read += chunk;
        }
        if (read == 0)
        {
            return null;
        }
        var text = Encoding.UTF8.GetString(buffer, 0, Math.Min(read, limit));
        return read > limit ? text + " …(truncated)" : text;
    }
}
