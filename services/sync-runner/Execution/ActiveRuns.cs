using System.Collections.Concurrent;
using IntegrationSync.SyncRunner.Publishing;
using Microsoft.Extensions.Options;

namespace IntegrationSync.SyncRunner.Execution;

/// <summary>
/// The runs this runner owns, detached from the work messages that started them, so a long sync holds no
/// unacknowledged delivery: at most <c>runner.max_concurrent_runs</c> at once, each in a DI scope of its own. On shutdown
/// (after the consumer stopped taking work) every run is asked to stop at its next page and, within
/// <c>runner.shutdown_grace_seconds</c>, hands its execution back at its checkpoint for another runner to resume at once;
/// then (or at once, with 0) the rest are abandoned as by a crash, and the reaper resumes them once their lease lapses.
/// </summary>
public sealed class ActiveRuns(IServiceScopeFactory scopes, IOptions<RunnerOptions> options, ILogger<ActiveRuns> logger) : IHostedService, IDisposable
{
    private readonly SemaphoreSlim _room = new(options.Value.MaxConcurrentRuns, options.Value.MaxConcurrentRuns);
    private readonly CancellationTokenSource _handover = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<string, Task> _runs = new();

    public int Count => _runs.Count;

    /// <summary>Waits until this runner may take one more run; the room is given back when the reservation is disposed unused.</summary>
    public async Task<RunRoom> ReserveAsync(CancellationToken cancellationToken)
    {
        await _room.WaitAsync(cancellationToken);
        return new RunRoom(_room);
    }

    public void Start(OwnedExecution owned, RunContext run, RunRoom room)
    {
        room.Take();
        _runs[owned.ExecutionId] = Task.Run(async () =>
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<SyncRun>().RunAsync(owned, run, _handover.Token, _stopping.Token);
            }
            catch (Exception e)
            {
                logger.LogError(e, "Run of execution {ExecutionId} ended unexpectedly", owned.ExecutionId);
            }
            finally
            {
                _runs.TryRemove(owned.ExecutionId, out _);
                _room.Release();
            }
        }, CancellationToken.None);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        var grace = TimeSpan.FromSeconds(options.Value.ShutdownGraceSeconds);
        if (grace > TimeSpan.Zero && !_runs.IsEmpty)
        {
            // Each run stops at its next page, confirms what is in flight, stores its checkpoint and releases its execution.
            await _handover.CancelAsync();
            try
            {
                await Task.WhenAll(_runs.Values).WaitAsync(grace, cancellationToken);
            }
            catch (Exception e) when (e is TimeoutException or OperationCanceledException)
            {
                logger.LogWarning("{Count} runs did not hand over within {Grace}; the reaper resumes them after their lease", _runs.Count, grace);
            }
        }
        await _stopping.CancelAsync();
    }

    public void Dispose()
    {
        _handover.Dispose();
        _stopping.Dispose();
        _room.Dispose();
    }
}

/// <summary>Room for one run, reserved before a run starts; given back unless a run took it.</summary>
public sealed class RunRoom(SemaphoreSlim room) : IDisposable
{
    private bool _taken;

    public void Take() => _taken = true;

    public void Dispose()
    {
        if (!_taken)
        {
            room.Release();
        }
    }
}
