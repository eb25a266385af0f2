using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using IntegrationSync.Shared.Configuration.Options;
using IntegrationSync.SyncApi.Auth;
using Microsoft.Extensions.Options;

namespace IntegrationSync.SyncApi.Paging;

/// <summary>
/// Continuation tokens the API hands out and takes back: the Cosmos continuation, sealed with an HMAC over the tenant,
/// the list's path and its filters. A crafted, altered or borrowed token (another tenant's, another list's, other
/// filters) is a 400 before anything reaches Cosmos. Every replica derives the same key from <c>jwt.secret</c>.
/// </summary>
public sealed class ContinuationTokens(IOptions<JwtOptions> jwt)
{
    private const string Prefix = "v2.";
    private const int MacBytes = 16;
    private readonly byte[] _key = HMACSHA256.HashData(Encoding.UTF8.GetBytes(jwt.Value.Secret), "integration-sync continuation tokens v2"u8);

    public string Seal(HttpContext http, string cosmosContinuation)
    {
        var payload = Encoding.UTF8.GetBytes(cosmosContinuation);
        return $"{Prefix}{Base64Url.EncodeToString(payload)}.{Base64Url.EncodeToString(Mac(http, payload))}";
    }

    /// <summary>The Cosmos continuation, or null when the token is not one this API sealed for this request's list.</summary>
    public string? Open(HttpContext http, string token)
    {
        var parts = token.StartsWith(Prefix, StringComparison.Ordinal) ? token[Prefix.Length..].Split('.') : [];
        if (parts.Length != 2 || !TryDecode(parts[0], out var payload) || !TryDecode(parts[1], out var mac)
            || !CryptographicOperations.FixedTimeEquals(mac, Mac(http, payload)))
        {
            return null;
        }
        return Encoding.UTF8.GetString(payload);
    }

    private byte[] Mac(HttpContext http, byte[] payload)
    {
        // limit may change between pages; the filters and the list may not.
        var filters = http.Request.Query.Where(q => q.Key is not ("continuationToken" or "limit"))
            .OrderBy(q => q.Key, StringComparer.Ordinal).Select(q => $"{q.Key}={q.Value}");
        var scope = Encoding.UTF8.GetBytes($"{Tenant.From(http).Id}\n{http.Request.Path}\n{string.Join('&', filters)}\n");
        return HMACSHA256.HashData(_key, (byte[])[.. scope, .. payload])[..MacBytes];
    }

    private static bool TryDecode(string text, out byte[] bytes)
    {
        try
        {
            bytes = Base64Url.DecodeFromChars(text);
            return true;
        }
        catch (FormatException)
        {
            bytes = [];
            return false;
        }
    }
}

public static class ContinuationTokenRegistration
{
    public static IServiceCollection AddContinuationTokens(this IServiceCollection services) => services.AddSingleton<ContinuationTokens>();
}
