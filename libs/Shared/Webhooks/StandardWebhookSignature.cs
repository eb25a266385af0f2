using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace IntegrationSync.Shared.Webhooks;

/// <summary>
/// Standard Webhooks 1.0 symmetric signatures: <c>v1,</c> and the base64 HMAC-SHA256 of <c>{id}.{timestamp}.{body}</c>;
/// the <c>webhook-signature</c> header lists one per key, space-delimited, so a receiver can verify during a rotation.
/// </summary>
public static class StandardWebhookSignature
{
    public const string IdHeader = "webhook-id";
    public const string TimestampHeader = "webhook-timestamp";
    public const string SignatureHeader = "webhook-signature";
    private const string Version = "v1";

    public static string Header(IEnumerable<byte[]> keys, string id, long timestamp, ReadOnlySpan<byte> body)
    {
        var signed = SignedContent(id, timestamp.ToString(CultureInfo.InvariantCulture), body);
        return string.Join(' ', keys.Select(key => $"{Version},{Convert.ToBase64String(HMACSHA256.HashData(key, signed))}"));
    }

    /// <summary>True when any <c>v1</c> signature of <paramref name="header"/> is the HMAC under <paramref name="key"/> (compared in constant time).</summary>
    public static bool Verify(string header, byte[] key, string id, string timestamp, ReadOnlySpan<byte> body)
    {
        var expected = HMACSHA256.HashData(key, SignedContent(id, timestamp, body));
        var matched = false;
        foreach (var entry in header.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var comma = entry.IndexOf(',');
            if (comma <= 0 || entry[..comma] != Version)
            {
                continue;
            }
            var given = new byte[entry.Length];
            if (Convert.TryFromBase64String(entry[(comma + 1)..], given, out var length))
            {
                // Every signature is compared, so the time taken does not tell which one matched.
                matched |= CryptographicOperations.FixedTimeEquals(given.AsSpan(0, length), expected);
            }
        }
        return matched;
    }

    private static byte[] SignedContent(string id, string timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes($"{id}.{timestamp}.");
        var content = new byte[prefix.Length + body.Length];
        prefix.CopyTo(content, 0);
        body.CopyTo(content.AsSpan(prefix.Length));
        return content;
    }
}
