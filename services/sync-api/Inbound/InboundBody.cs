namespace IntegrationSync.SyncApi.Inbound;

public static class InboundBody
{
    /// <summary>The raw body, or null when it is longer than <paramref name="limit"/> bytes (read no further than one byte past it).</summary>
    public static async Task<byte[]?> ReadAsync(HttpRequest request, int limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength > limit)
        {
            return null;
        }
        var buffer = new byte[limit + 1];
        var read = 0;
        int chunk;
        while (read < buffer.Length && (chunk = await request.Body.ReadAsync(buffer.AsMemory(read), cancellationToken)) > 0)
        {
            read += chunk;
        }
        return read > limit ? null : buffer[..read];
    }
}
