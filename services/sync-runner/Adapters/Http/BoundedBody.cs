using System.Buffers;

namespace IntegrationSync.SyncRunner.Adapters.Http;

/// <summary>
/// Reads a vendor response's body into memory, at most <c>adapter_http.max_response_bytes</c>, and puts it back as the
/// response's content: one tenant's endpoint cannot make a runner buffer without end.
/// </summary>
public static class BoundedBody
{
    private const int FirstBuffer = 64 * 1024;

    /// <summary>False when the body is larger than <paramref name="maxBytes"/> (then it is not read to its end).</summary>
    public static async Task<bool> TryBufferAsync(HttpResponseMessage response, long maxBytes, CancellationToken cancellationToken)
    {
        var content = response.Content;
        if (content is ByteArrayContent)
        {
            return true;
        }
        if (content.Headers.ContentLength > maxBytes)
        {
            return false;
        }
        // One byte more than allowed tells an oversized body from one of exactly the limit.
        var limit = (int)Math.Min(maxBytes + 1, int.MaxValue);
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(limit, (content.Headers.ContentLength ?? FirstBuffer) + 1));
        var length = 0;
        try
        {
            int read;
            do
            {
                if (length == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min(limit, 2L * buffer.Length));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }
                read = await stream.ReadAsync(buffer.AsMemory(length, Math.Min(buffer.Length, limit) - length), cancellationToken);
                length += read;
            }
            while (read > 0 && length < limit);
            if (length > maxBytes)
            {
                return false;
            }
            var buffered = new ByteArrayContent(buffer.AsSpan(0, length).ToArray());
            foreach (var header in content.Headers)
            {
                buffered.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
            response.Content = buffered;
            content.Dispose();
            return true;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
