using System.Collections.Concurrent;
using IntegrationSync.SyncRunner.Execution;

namespace IntegrationSync.SyncRunner.Tests.Execution;

public sealed class CheckpointWriterTests
{
    private static (CheckpointWriter<int> Writer, ConcurrentQueue<int> Written) Recording(TimeSpan minInterval)
    {
        var written = new ConcurrentQueue<int>();
        var writer = new CheckpointWriter<int>((checkpoint, _) =>
        {
            written.Enqueue(checkpoint);
            return Task.CompletedTask;
        }, minInterval, TimeProvider.System, CancellationToken.None);
        return (writer, written);
    }

    [Fact]
    public async Task Checkpoints_are_written_in_order_one_at_a_time_and_those_superseded_while_waiting_are_skipped()
    {
        var written = new ConcurrentQueue<int>();
        var release = new SemaphoreSlim(0);
        var running = 0;
        var overlapped = false;
        var writer = new CheckpointWriter<int>(async (checkpoint, _) =>
        {
            overlapped |= Interlocked.Increment(ref running) > 1;
            await release.WaitAsync();
            written.Enqueue(checkpoint);
            Interlocked.Decrement(ref running);
        }, TimeSpan.Zero, TimeProvider.System, CancellationToken.None);

        writer.Advance(1);
        writer.Advance(2);
        writer.Advance(3);
        writer.Advance(4);
        release.Release(10);
        await writer.FlushAsync();

        Assert.Equal([1, 4], written);
        Assert.False(overlapped);
    }

    [Fact]
    public async Task The_last_checkpoint_is_always_written()
    {
        var (writer, written) = Recording(TimeSpan.Zero);

        for (var i = 1; i <= 50; i++)
        {
            writer.Advance(i);
            if (i % 7 == 0)
            {
                await Task.Yield();
            }
        }
        await writer.FlushAsync();

        Assert.Equal(50, written.Last());
        Assert.Equal(written.Order(), written);
    }

    [Fact]
    public async Task A_failed_write_fails_the_next_advance_and_the_flush()
    {
        var writer = new CheckpointWriter<int>((checkpoint, _) => checkpoint == 1
            ? Task.FromException(new InvalidOperationException("cosmos down"))
            : Task.CompletedTask, TimeSpan.Zero, TimeProvider.System, CancellationToken.None);

        writer.Advance(1);
        var flush = await Assert.ThrowsAsync<InvalidOperationException>(writer.FlushAsync);
        Assert.Equal("cosmos down", flush.Message);
        Assert.Throws<InvalidOperationException>(() => writer.Advance(2));
    }

    [Fact]
    public async Task Within_the_interval_only_the_latest_checkpoint_waits_and_a_flush_writes_it_at_once()
    {
        var (writer, written) = Recording(TimeSpan.FromHours(1));

        writer.Advance(1);
        writer.Advance(2);
        writer.Advance(3);
        await Task.Delay(50);
        Assert.Equal([1], written);

        await writer.FlushAsync();
        Assert.Equal([1, 3], written);
    }

    [Fact]
    public async Task A_flush_in_the_middle_of_a_run_leaves_the_interval_in_force_for_later_checkpoints()
    {
        var (writer, written) = Recording(TimeSpan.FromHours(1));

        writer.Advance(1);
        writer.Advance(2);
        await writer.FlushAsync();
        writer.Advance(3);
        await Task.Delay(50);
        Assert.Equal([1, 2], written);

        await writer.FlushAsync();
        Assert.Equal([1, 2, 3], written);
    }
}
