using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace IntegrationSync.SyncRunner.Adapters;

public static class PageReadAhead
{
    /// <summary>
    /// Reads the next page while the caller publishes this one (a vendor's response time, or the sample generator's work,
    /// overlaps the publishing). At most <paramref name="pages"/> pages wait; an adapter error surfaces after the pages
    /// read before it, as without read-ahead. A caller that stops early leaves at most that many pages read for nothing.
    /// </summary>
    public static async IAsyncEnumerable<RecordPage> ReadAhead(
        this IAsyncEnumerable<RecordPage> source, int pages, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var buffer = Channel.CreateBounded<RecordPage>(new BoundedChannelOptions(pages) { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var reader = Task.Run(async () =>
        {
            try
            {
                // The next page is read only once there is room for it: no page waits outside the buffer, so what is
                // alive (and marked by every GC) is the caller's page plus the buffered ones.
                await using var pagesRead = source.GetAsyncEnumerator(stop.Token);
                while (await buffer.Writer.WaitToWriteAsync(stop.Token) && await pagesRead.MoveNextAsync())
                {
                    buffer.Writer.TryWrite(pagesRead.Current);
                }
                buffer.Writer.Complete();
            }
            catch (Exception e)
            {
                buffer.Writer.Complete(e);
            }
        }, CancellationToken.None);

        try
        {
            // A reader that failed completes the buffer with its exception, which WaitToReadAsync rethrows as is.
            while (await buffer.Reader.WaitToReadAsync(cancellationToken))
            {
                while (buffer.Reader.TryRead(out var page))
                {
                    yield return page;
                }
            }
        }
        finally
        {
            await stop.CancelAsync();
            await reader;
        }
    }
}
