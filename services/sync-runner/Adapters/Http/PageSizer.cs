namespace IntegrationSync.SyncRunner.Adapters.Http;

/// <summary>
/// Pages that fit <c>adapter_http.max_response_bytes</c>: the largest page at first, then as many rows as fill 80 % of the
/// limit at the bytes per row seen so far; a response over the limit is asked for again with half the rows.
/// </summary>
public sealed class PageSizer(int largest, int maxResponseBytes)
{
    private const double Fill = 0.8;

    public int Size { get; private set; } = Math.Max(1, largest);

    public void Observe(long bytes, int rows)
    {
        if (rows > 0 && bytes > 0)
        {
            Size = (int)Math.Clamp(maxResponseBytes * Fill * rows / bytes, 1, Math.Max(1, largest));
        }
    }

    /// <summary>Reads a page of <see cref="Size"/> rows (fewer when the budget has fewer left), halving them while the response is too large.</summary>
    public async Task<T> FitAsync<T>(ReadBudget budget, Func<int, Task<T>> read)
    {
        while (true)
        {
            try
            {
                return await read(budget.PageSize(Size));
            }
            catch (AdapterException e) when (AdapterHttp.IsTooLarge(e) && Size > 1)
            {
                Size /= 2;
            }
        }
    }
}
