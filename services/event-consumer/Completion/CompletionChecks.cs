namespace IntegrationSync.EventConsumer.Completion;

/// <summary>
/// Completion checks run beside the counting, not in its way: one check per execution at a time, and a request that
/// arrives while one runs makes it run once more, so the last counted result is always followed by a check.
/// </summary>
public sealed class CompletionChecks(Func<string, string, Task> runCheck, ILogger<CompletionChecks> logger)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(string Tenant, string Execution), Check> _checks = [];

    public void Request(string tenantId, string executionId)
    {
        var key = (tenantId, executionId);
        lock (_gate)
        {
            if (_checks.TryGetValue(key, out var running))
            {
                running.Again = true;
                return;
            }
            var check = new Check();
            _checks[key] = check;
            check.Running = RunAsync(key, check);
        }
    }

    /// <summary>Waits for the checks in flight (shutdown); the completion sweeper covers a check that never ran.</summary>
    public Task DrainAsync()
    {
        lock (_gate)
        {
            return Task.WhenAll(_checks.Values.Select(c => c.Running));
        }
    }

    private async Task RunAsync((string Tenant, string Execution) key, Check check)
    {
        await Task.Yield();
        while (true)
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
            lock (_gate)
            {
                if (!check.Again)
                {
                    _checks.Remove(key);
                    return;
                }
                check.Again = false;
            }
        }
    }

    private sealed class Check
    {
        public bool Again { get; set; }

        public Task Running { get; set; } = Task.CompletedTask;
    }
}
