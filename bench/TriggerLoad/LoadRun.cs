using System.Diagnostics;

namespace IntegrationSync.Bench.TriggerLoad;

/// <summary>A fixed number of calls spread over N workers; per-call latency and the wall-clock rate.</summary>
public sealed record LoadResult(int Calls, int Failures, TimeSpan Elapsed, double[] LatenciesMs)
{
    public double PerSecond => Calls / Elapsed.TotalSeconds;

    public double Percentile(double p)
    {
        var sorted = LatenciesMs.Order().ToArray();
        return sorted.Length == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];
    }

    public override string ToString() =>
        $"{Calls} calls, {Failures} failed, {Elapsed.TotalSeconds:F1} s: {PerSecond:F0}/s, p50 {Percentile(50):F1} ms, p99 {Percentile(99):F1} ms";
}

public static class LoadRun
{
    /// <summary>Runs <paramref name="call"/> <paramref name="calls"/> times with <paramref name="workers"/> in parallel; false = failure.</summary>
    public static async Task<LoadResult> RunAsync(int calls, int workers, Func<int, Task<bool>> call)
    {
        var latencies = new double[calls];
        var next = -1;
        var failures = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(async () =>
        {
            for (var i = Interlocked.Increment(ref next); i < calls; i = Interlocked.Increment(ref next))
            {
                var started = Stopwatch.GetTimestamp();
                if (!await call(i))
                {
                    Interlocked.Increment(ref failures);
                }
                latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            }
        })));
        return new LoadResult(calls, failures, clock.Elapsed, latencies);
    }
}
