using System.Collections.Concurrent;

namespace IntegrationSync.CastielPeers.Stubs;

/// <summary>
/// One scripted answer of a stand-in route: wait <see cref="DelayMs"/>, then answer <see cref="Status"/> with an
/// error body when it is not 2xx; else, on the refresh route, <c>{success}</c> when given; else the usual answer.
/// </summary>
public sealed record ScriptedAnswer(int? Status = null, bool? Success = null, int DelayMs = 0, string? Error = null)
{
    public bool IsError => Status is < 200 or > 299;
}

public sealed record ScriptBody(List<ScriptedAnswer> Steps);

/// <summary>Queues of scripted answers by key (a connection, an integration); a key with none left gets the usual answer.</summary>
public sealed class ScriptedAnswers
{
    private readonly ConcurrentDictionary<string, ConcurrentQueue<ScriptedAnswer>> _scripts = new(StringComparer.OrdinalIgnoreCase);

    public void Set(string key, IEnumerable<ScriptedAnswer> steps) => _scripts[key] = new ConcurrentQueue<ScriptedAnswer>(steps);

    public bool TryNext(string key, out ScriptedAnswer step)
    {
        step = null!;
        return _scripts.TryGetValue(key, out var queue) && queue.TryDequeue(out step!);
    }
}
