using System.Runtime.InteropServices;

namespace IntegrationSync.Shared.Storage;

/// <summary>
/// 64-bit digests stored as one base64 string of little-endian values: about 11 bytes a digest, and one indexed
/// value a document rather than one per digest.
/// </summary>
public static class PackedDigests
{
    public static string Encode(ReadOnlySpan<ulong> digests) => Convert.ToBase64String(MemoryMarshal.AsBytes(digests));

    public static ulong[] Decode(string? packed) =>
        string.IsNullOrEmpty(packed) ? [] : MemoryMarshal.Cast<byte, ulong>(Convert.FromBase64String(packed)).ToArray();
}
