using System.Collections.Concurrent;

namespace IntegrationSync.CastielPeers.Stubs;

/// <summary>
/// One scripted answer of the connection refresh route: wait <see cref="DelayMs"/>, then answer
/// <see cref="Status"/> (an error body) when it is not 2xx, else <c>{success}</c> when given, else the default answer.
/// </summary>
public sealed record RefreshStep(int? Status = null, bool? Success = null, int DelayMs = 0, string? Error = null);

public sealed record RefreshScriptBody(List<RefreshStep> Steps);

/// <summary>Per-connection queues of scripted answers; a connection with none left gets the default answer.</summary>
public sealed class RefreshScripts
{
    private readonly ConcurrentDictionary<string, ConcurrentQueue<RefreshStep>> _scripts = new();

    public void Set(string connectionId, IEnumerable<RefreshStep> steps) => _scripts[connectionId] = new ConcurrentQueue<RefreshStep>(steps);

    public bool TryNext(string connectionId, out RefreshStep step)
    {
        step = null!;
        return _scripts.TryGetValue(connectionId, out var queue) && queue.TryDequeue(out step!);
    }
}
