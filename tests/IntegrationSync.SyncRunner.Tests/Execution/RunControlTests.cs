using IntegrationSync.Shared.Sync;
using IntegrationSync.SyncRunner.Execution;

namespace IntegrationSync.SyncRunner.Tests.Execution;

public sealed class RunControlTests
{
    [Fact]
    public async Task A_wait_checks_the_task_and_returns_when_it_is_over()
    {
        var reads = 0;
        var control = new RunControl(_ => { reads++; return Task.FromResult<SyncTaskDocument?>(RunningTask()); }, TimeProvider.System);

        await control.WaitAsync(TimeSpan.FromMilliseconds(20), CancellationToken.None);

        Assert.Equal(1, reads);
    }

    [Fact]
    public async Task A_cancel_requested_during_a_long_wait_ends_it()
    {
        var reads = 0;
        var control = new RunControl(_ => Task.FromResult<SyncTaskDocument?>(++reads < 2 ? RunningTask() : RunningTask() with { CancelRequestedAt = "now" }),
            TimeProvider.System);

        var stop = await Assert.ThrowsAsync<SyncStopRequestedException>(() => control.WaitAsync(TimeSpan.FromHours(1), CancellationToken.None));

        Assert.Equal(RunStop.Cancel, stop.Stop);
        Assert.Equal(2, reads);
    }

    [Fact]
    public async Task A_pause_requested_between_pages_stops_the_run_as_a_pause()
    {
        var control = new RunControl(_ => Task.FromResult<SyncTaskDocument?>(RunningTask() with { PauseRequestedAt = "now" }), TimeProvider.System);

        var stop = await Assert.ThrowsAsync<SyncStopRequestedException>(() => control.ThrowIfStopRequestedAsync(CancellationToken.None).AsTask());

        Assert.Equal(RunStop.Pause, stop.Stop);
    }

    [Fact]
    public async Task A_runner_shutting_down_stops_its_run_for_a_hand_over_before_reading_the_task()
    {
        using var handover = new CancellationTokenSource();
        await handover.CancelAsync();
        var control = new RunControl(_ => throw new InvalidOperationException("the task must not be read"), TimeProvider.System, handover.Token);

        var stop = await Assert.ThrowsAsync<SyncStopRequestedException>(() => control.ThrowIfStopRequestedAsync(CancellationToken.None).AsTask());

        Assert.Equal(RunStop.Handover, stop.Stop);
    }

    [Fact]
    public async Task The_task_is_read_at_most_once_per_interval()
    {
        var reads = 0;
        var control = new RunControl(_ => { reads++; return Task.FromResult<SyncTaskDocument?>(RunningTask()); }, TimeProvider.System);

        for (var page = 0; page < 50; page++)
        {
            await control.ThrowIfStopRequestedAsync(CancellationToken.None);
        }

        Assert.Equal(1, reads);
    }

    [Fact]
    public async Task Shutting_down_during_a_long_wait_ends_it()
    {
        using var shutdown = new CancellationTokenSource();
        shutdown.CancelAfter(TimeSpan.FromMilliseconds(50));
        var control = new RunControl(_ => Task.FromResult<SyncTaskDocument?>(RunningTask()), TimeProvider.System);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => control.WaitAsync(TimeSpan.FromHours(1), shutdown.Token));
    }

    private static SyncTaskDocument RunningTask() => new() { Id = "task-1", TenantId = "t-1", Status = SyncStatus.Running };
}
