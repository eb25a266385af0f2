using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using IntegrationSync.SyncRunner.Adapters;

namespace IntegrationSync.SyncRunner.Tests.Adapters;

public sealed class PageReadAheadTests
{
    private int _produced;
    private bool _sourceDisposed;

    [Fact]
    public async Task Pages_arrive_in_order_and_all_of_them()
    {
        var cursors = new List<string?>();
        await foreach (var page in Pages(20).ReadAhead(1, CancellationToken.None))
        {
            cursors.Add(page.NextCursor);
        }

        Assert.Equal(Enumerable.Range(1, 20).Select(i => (string?)i.ToString()), cursors);
    }

    [Fact]
    public async Task An_adapter_error_surfaces_after_the_pages_read_before_it_with_its_kind_intact()
    {
        var seen = 0;
        var error = await Assert.ThrowsAsync<AdapterException>(async () =>
        {
            await foreach (var _ in Pages(10, failAfter: 3).ReadAhead(1, CancellationToken.None))
            {
                seen++;
            }
        });

        Assert.Equal((3, AdapterErrorKind.QuotaExhausted), (seen, error.Kind));
    }

    [Fact]
    public async Task A_caller_that_stops_early_leaves_at_most_the_read_ahead_pages_read_and_the_source_closed()
    {
        await foreach (var page in Pages(1000).ReadAhead(1, CancellationToken.None))
        {
            if (page.NextCursor == "3")
            {
                // Let the reader run as far ahead as it can before stopping.
                await Task.Delay(100);
                break;
            }
        }

        // Three consumed and one waiting in the buffer: no page is read before there is room for it.
        Assert.InRange(_produced, 3, 4);
        Assert.True(_sourceDisposed);
    }

    private async IAsyncEnumerable<RecordPage> Pages(int count, int failAfter = int.MaxValue, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        try
        {
            for (var i = 1; i <= count; i++)
            {
                await Task.Yield();
                cancellationToken.ThrowIfCancellationRequested();
                if (i > failAfter)
                {
                    throw new AdapterException(AdapterErrorKind.QuotaExhausted, "daily limit");
                }
                Interlocked.Increment(ref _produced);
                yield return new RecordPage([new SourceRecord($"r{i}", new JsonObject())], i.ToString());
            }
        }
        finally
        {
            _sourceDisposed = true;
        }
    }
}
