using System.Security.Cryptography;
using System.Text;

namespace IntegrationSync.SyncApi.Inbound;

public static class ConstantTime
{
    /// <summary>Compares two secrets without the time taken telling how much of them matched (both hashed first, so lengths leak nothing either).</summary>
    public static bool SecretEquals(string given, string expected) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));

    /// <summary>A base64 signature against the expected MAC, in constant time; false for text that is not base64.</summary>
    public static bool SignatureEquals(string givenBase64, ReadOnlySpan<byte> expected)
    {
        var given = new byte[givenBase64.Length];
        return Convert.TryFromBase64String(givenBase64, given, out var length) && CryptographicOperations.FixedTimeEquals(given.AsSpan(0, length), expected);
    }
}
