using System.Globalization;
using IntegrationSync.Shared.Webhooks;

namespace IntegrationSync.SyncApi.Inbound;

/// <summary>
/// A generic provider that signs per Standard Webhooks 1.0 with the endpoint's <c>whsec_</c> secret: the signature over
/// <c>{webhook-id}.{webhook-timestamp}.{body}</c>, a timestamp within the tolerance, and the <c>webhook-id</c> as the replay key.
/// </summary>
public static class StandardWebhookInbound
{
    public static InboundVerdict Verify(InboundRequest request, string secret)
    {
        if (request.Header(StandardWebhookSignature.IdHeader) is not { Length: <= 255 } id
            || request.Header(StandardWebhookSignature.TimestampHeader) is not { } timestamp
            || request.Header(StandardWebhookSignature.SignatureHeader) is not { } signature)
        {
            return InboundVerdict.Unverified("webhook-id, webhook-timestamp and webhook-signature are required");
        }
        if (!StandardWebhookSignature.Verify(signature, WebhookSecrets.KeyOf(secret), id, timestamp, request.Body))
        {
            return InboundVerdict.Unverified("No webhook-signature matches");
        }
        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || Math.Abs(request.Now.ToUnixTimeSeconds() - seconds) > request.Tolerance.TotalSeconds)
        {
            return InboundVerdict.Stale($"webhook-timestamp is not within {request.Tolerance.TotalSeconds:0} s of now");
        }
        return InboundVerdict.Accept($"standard:{id}", null);
    }
}
