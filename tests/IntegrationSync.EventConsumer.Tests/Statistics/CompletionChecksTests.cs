using System.Collections.Concurrent;
using IntegrationSync.EventConsumer.Completion;
using Microsoft.Extensions.Logging.Abstractions;

namespace IntegrationSync.EventConsumer.Tests.Statistics;

public sealed class CompletionChecksTests
{
    private readonly ConcurrentQueue<string> _runs = new();
    private readonly SemaphoreSlim _release = new(0);
    private readonly SemaphoreSlim _started = new(0);

    private CompletionChecks Checks() => new(async (_, execution) =>
    {
        _runs.Enqueue(execution);
        _started.Release();
        await _release.WaitAsync();
    }, NullLogger<CompletionChecks>.Instance);

    [Fact]
    public async Task Requests_during_a_running_check_cause_exactly_one_more_check()
    {
        var checks = Checks();
        checks.Request("t", "e1");
        await _started.WaitAsync();
        for (var i = 0; i < 10; i++)
        {
            checks.Request("t", "e1");
        }

        _release.Release();
        await _started.WaitAsync();
        _release.Release();
        await checks.DrainAsync();

        Assert.Equal(["e1", "e1"], _runs);
    }

    [Fact]
    public async Task Executions_are_checked_independently_and_a_request_after_a_finished_check_runs_again()
    {
        var checks = Checks();
        checks.Request("t", "e1");
        checks.Request("t", "e2");
        await _started.WaitAsync();
        await _started.WaitAsync();
        _release.Release(2);
        await checks.DrainAsync();

        checks.Request("t", "e1");
        await _started.WaitAsync();
        _release.Release();
        await checks.DrainAsync();

        Assert.Equal(["e1", "e1", "e2"], _runs.Order());
    }

    [Fact]
    public async Task A_failing_check_is_logged_and_does_not_stop_later_checks()
    {
        var calls = 0;
        var checks = new CompletionChecks((_, _) => Interlocked.Increment(ref calls) == 1
            ? Task.FromException(new InvalidOperationException("cosmos down"))
            : Task.CompletedTask, NullLogger<CompletionChecks>.Instance);

        checks.Request("t", "e1");
        await checks.DrainAsync();
        checks.Request("t", "e1");
        await checks.DrainAsync();

        Assert.Equal(2, calls);
    }
}
