using System.Security.Cryptography;
using System.Text;
using IntegrationSync.Shared.Contracts;

namespace IntegrationSync.Shared.Webhooks;

/// <summary>
/// Signing secrets in the Standard Webhooks form: <c>whsec_</c> and the base64 of 24 to 64 random bytes, the HMAC key.
/// A secret a tenant chose without the prefix (16 to 256 characters, as registrations accepted before) keys the HMAC with
/// its UTF-8 bytes.
/// </summary>
public static class WebhookSecrets
{
    public const string Prefix = "whsec_";
    private const int GeneratedBytes = 32;

    public static string Generate() => Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(GeneratedBytes));

    /// <summary>Null when the secret can be used; otherwise what is wrong with it.</summary>
    public static string? Problem(string secret)
    {
        if (!secret.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return secret.Length is < 16 or > 256 ? "must be 16 to 256 characters, or whsec_ followed by the base64 of 24 to 64 bytes" : null;
        }
        var key = TryDecode(secret[Prefix.Length..]);
        return key is { Length: >= 24 and <= 64 } ? null : "a whsec_ secret must carry the base64 of 24 to 64 bytes";
    }

    public static byte[] KeyOf(string secret) =>
        secret.StartsWith(Prefix, StringComparison.Ordinal) && TryDecode(secret[Prefix.Length..]) is { } key ? key : Encoding.UTF8.GetBytes(secret);

    /// <summary>The keys a delivery made at <paramref name="now"/> is signed with: the current secret, then retired ones still in their overlap.</summary>
    public static IReadOnlyList<byte[]> SigningKeys(WebhookDocument webhook, DateTimeOffset now)
    {
        var keys = new List<byte[]>();
        if (webhook.EffectiveSecret is { Length: > 0 } current)
        {
            keys.Add(KeyOf(current));
        }
        foreach (var retired in webhook.PreviousSecrets ?? [])
        {
            if (IsoTime.Parse(retired.ExpiresAt) > now)
            {
                keys.Add(KeyOf(retired.Secret));
            }
        }
        return keys;
    }

    /// <summary>The registration with <paramref name="secret"/> current and the one it replaces kept for <paramref name="overlap"/>.</summary>
    public static WebhookDocument Rotate(WebhookDocument webhook, string secret, TimeSpan overlap, DateTimeOffset now)
    {
        var stillValid = (webhook.PreviousSecrets ?? []).Where(r => IsoTime.Parse(r.ExpiresAt) > now).ToList();
        if (webhook.EffectiveSecret is { Length: > 0 } old && old != secret && overlap > TimeSpan.Zero)
        {
            stillValid.Add(new RetiredSecret(old, IsoTime.Format(now + overlap)));
        }
        return webhook with
        {
            Secret = secret,
            PreviousSecrets = stillValid.Count == 0 ? null : stillValid,
            SecretRotatedAt = IsoTime.Format(now),
        };
    }

    private static byte[]? TryDecode(string base64)
    {
        var buffer = new byte[base64.Length];
        return Convert.TryFromBase64String(base64, buffer, out var written) ? buffer[..written] : null;
    }
}
