using System.Collections.Concurrent;

namespace IntegrationSync.EventConsumer.Statistics;

/// <summary>
/// Completion checks run beside the counting, not in its way: one check per execution at a time, and a request that
/// arrives while one runs makes it run once more, so the last counted result is always followed by a check.
/// </summary>
public sealed class CompletionChecks(Func<string, string, Task> runCheck, ILogger<CompletionChecks> logger)
{
    private readonly ConcurrentDictionary<(string Tenant, string Execution), Check> _checks = new();

    public void Request(string tenantId, string executionId)
    {
        var key = (tenantId, executionId);
        while (true)
        {
            if (_checks.TryGetValue(key, out var running))
            {
                if (running.TryRequestAgain())
                {
                    return;
                }
                continue; // it just finished: start a new one
            }
            var check = new Check();
            if (_checks.TryAdd(key, check))
            {
                check.Running = RunAsync(key, check);
                return;
            }
        }
    }

    /// <summary>Waits for the checks in flight (shutdown); the completion sweeper covers a check that never ran.</summary>
    public Task DrainAsync() => Task.WhenAll(_checks.Values.Select(c => c.Running ?? Task.CompletedTask));

    private async Task RunAsync((string Tenant, string Execution) key, Check check)
    {
        await Task.Yield();
        do
        {
            try
            {
                await runCheck(key.Tenant, key.Execution);
            }
            catch (Exception e)
            {
                // The results are counted; the sweeper completes the execution if no later result does.
                logger.LogWarning(e, "Completion check of execution {ExecutionId} failed", key.Execution);
            }
        }
        while (check.TryFinish() is false);
        _checks.TryRemove(new KeyValuePair<(string, string), Check>(key, check));
    }

    private sealed class Check
    {
        private const int Idle = 0, Again = 1, Finished = 2;
        private int _state;

        public Task? Running { get; set; }

        public bool TryRequestAgain() => Interlocked.CompareExchange(ref _state, Again, Idle) != Finished;

        /// <summary>False when another check was requested meanwhile: run again.</summary>
        public bool TryFinish()
        {
            if (Interlocked.CompareExchange(ref _state, Finished, Idle) == Idle)
            {
                return true;
            }
            Volatile.Write(ref _state, Idle);
            return false;
        }
    }
}
