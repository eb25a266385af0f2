using System.Security.Cryptography;
using System.Text;
using IntegrationSync.SyncApi.Errors;

namespace IntegrationSync.SyncApi.Tasks;

/// <summary>
/// The trigger's <c>Idempotency-Key</c> header. The task id is derived from tenant and key, so two concurrent
/// retries race on one Cosmos create and the loser reads the winner's task instead of making a second one.
/// </summary>
public static class IdempotencyKey
{
    public const string Header = "Idempotency-Key";
    public const int MaxLength = 255;

    public static string? Read(HttpRequest request, List<FieldError> errors)
    {
        if (!request.Headers.TryGetValue(Header, out var values))
        {
            return null;
        }
        var key = values.ToString();
        if (values.Count != 1 || key.Length is 0 or > MaxLength || key.Any(c => c is < '!' or > '~'))
        {
            errors.Add(new FieldError(Header, $"must be 1 to {MaxLength} visible ASCII characters"));
            return null;
        }
        return key;
    }

    public static string TaskIdFor(string tenantId, string key)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{tenantId}\n{key}"));
        // Shape it as an RFC 4122 name-based (version 5 style) UUID, like every other task id.
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true).ToString();
    }
}
