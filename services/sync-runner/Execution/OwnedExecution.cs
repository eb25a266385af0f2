using IntegrationSync.Shared.Sync;

namespace IntegrationSync.SyncRunner.Execution;

/// <summary>A running execution this runner owns, with the fencing token (<see cref="Generation"/>) its writes carry.</summary>
public sealed record OwnedExecution(ExecutionDocument Execution)
{
    public string TenantId => Execution.TenantId;

    public string TaskId => Execution.TaskId;

    public string ExecutionId => Execution.ExecutionId;

    public int Generation => Execution.Generation;
}

/// <summary>
/// A fenced write found the execution owned by another generation or no longer running: the reaper handed it to
/// another runner (this one was paused past its lease) or it ended meanwhile. The run stops without writing more.
/// </summary>
public sealed class LeaseLostException(string executionId, int generation)
    : Exception($"Execution {executionId} is no longer owned by generation {generation} of this runner");

/// <summary>Why a run stops between pages: its task's cancel or pause, or this runner shutting down (it hands the run over).</summary>
public enum RunStop
{
    Cancel,
    Pause,
    Handover,
}

/// <summary>The run is asked to stop; it does so between pages, with every page in flight confirmed and its checkpoint stored.</summary>
public sealed class SyncStopRequestedException(RunStop stop) : Exception($"The run stops: {stop}")
{
    public RunStop Stop { get; } = stop;
}
