using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace IntegrationSync.SyncApi.Inbound;

/// <summary>
/// HubSpot's v3 request signature: <c>X-HubSpot-Signature-v3</c> is the base64 HMAC-SHA256, keyed with the app's client
/// secret, of method + URI + body + <c>X-HubSpot-Request-Timestamp</c> (Unix milliseconds), where the URI is the full URL
/// HubSpot called with the percent-encodings HubSpot lists decoded; a timestamp older than five minutes (our tolerance) is refused.
/// </summary>
public static class HubSpotSignature
{
    public const string SignatureHeader = "X-HubSpot-Signature-v3";
    public const string TimestampHeader = "X-HubSpot-Request-Timestamp";

    private static readonly (string Encoded, string Decoded)[] DecodedInUri =
    [
        ("%3A", ":"), ("%2F", "/"), ("%3F", "?"), ("%40", "@"), ("%21", "!"), ("%24", "$"),
        ("%27", "'"), ("%28", "("), ("%29", ")"), ("%2A", "*"), ("%2C", ","), ("%3B", ";"),
    ];

    public static InboundVerdict Verify(InboundRequest request, string clientSecret)
    {
        if (request.Header(SignatureHeader) is not { } signature || request.Header(TimestampHeader) is not { } timestamp)
        {
            return InboundVerdict.Unverified($"{SignatureHeader} and {TimestampHeader} are required");
        }
        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(clientSecret), SourceBytes(request.Method, request.SignedUrl, request.Body, timestamp));
        if (!ConstantTime.SignatureEquals(signature, expected))
        {
            return InboundVerdict.Unverified("The HubSpot v3 signature does not match");
        }
        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
            || Math.Abs((request.Now - DateTimeOffset.FromUnixTimeMilliseconds(ms)).TotalSeconds) > request.Tolerance.TotalSeconds)
        {
            return InboundVerdict.Stale($"{TimestampHeader} is not within {request.Tolerance.TotalSeconds:0} s of now");
        }
        return InboundVerdict.Accept($"hubspot:{signature}", EntityType(request.Body));
    }

    /// <summary>What HubSpot signs, as UTF-8 bytes.</summary>
    public static byte[] SourceBytes(string method, string url, ReadOnlySpan<byte> body, string timestamp)
    {
        var head = Encoding.UTF8.GetBytes(method + DecodeUri(url));
        var tail = Encoding.UTF8.GetBytes(timestamp);
        return [.. head, .. body, .. tail];
    }

    public static string DecodeUri(string url)
    {
        foreach (var (encoded, decoded) in DecodedInUri)
        {
            url = url.Replace(encoded, decoded, StringComparison.OrdinalIgnoreCase);
        }
        return url;
    }

    /// <summary>The object type of the events (<c>contact</c> of <c>contact.propertyChange</c>) when they all concern one.</summary>
    private static string? EntityType(byte[] body)
    {
        try
        {
            var types = (JsonNode.Parse(body) as JsonArray ?? [])
                .Select(e => e?["subscriptionType"] is JsonValue v && v.TryGetValue<string>(out var type) ? type.Split('.')[0] : null)
                .Distinct().ToList();
            return types is [{ Length: > 0 } single] ? single : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
