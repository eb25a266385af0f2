using IntegrationSync.SyncRunner.Adapters;

namespace IntegrationSync.SyncRunner.Execution;

/// <summary>
/// A run's retry of a page whose read failed transiently (429, 5xx, timeout) after the HTTP pipeline's own retries: wait
/// (the vendor's <c>Retry-After</c> when it sent one, else doubling backoff with jitter) and read the page again from the
/// last cursor, within the page's budget of <c>runner.page_retry_attempts</c> and <c>runner.page_retry_max_wait_seconds</c>.
/// </summary>
public sealed class PageRetry(RunnerOptions options, string system, TimeProvider time)
{
    private string? _cursor;
    private int _failures;
    private TimeSpan _waited;
    private DateTimeOffset _firstFailureAt;

    private TimeSpan MaxWait => TimeSpan.FromSeconds(options.PageRetryMaxWaitSeconds);

    public static bool Handles(AdapterException error) => error.Kind is AdapterErrorKind.RateLimited or AdapterErrorKind.Transient;

    /// <summary>
    /// How long to wait before reading the page at <paramref name="cursor"/> again; null when the vendor asks for a longer
    /// pause than the page has left, so the run ends early and the next one resumes from the checkpoint.
    /// </summary>
    /// <exception cref="SyncFailure">The page failed more often, or for longer, than its budget allows.</exception>
    public TimeSpan? Next(AdapterException error, string? cursor)
    {
        if (_failures == 0 || cursor != _cursor)
        {
            // The previous failing page was read in the end; this one has a budget of its own.
            (_cursor, _failures, _waited, _firstFailureAt) = (cursor, 0, TimeSpan.Zero, time.GetUtcNow());
        }
        _failures++;
        var left = MaxWait - _waited;
        if (error.RetryAfter > left)
        {
            return null;
        }
        if (_failures > options.PageRetryAttempts || (error.RetryAfter is null && left <= TimeSpan.Zero))
        {
            throw Spent(error);
        }
        var delay = error.RetryAfter ?? Min(Backoff(), left);
        _waited += delay;
        return delay;
    }

    /// <summary>Half the doubled delay fixed, half random, so runs that failed together do not come back together.</summary>
    private TimeSpan Backoff()
    {
        // Capped before it becomes a TimeSpan: doubling 100 times would overflow one.
        var capped = TimeSpan.FromMilliseconds(Math.Min(options.PageRetryDelayMs * Math.Pow(2, _failures - 1), options.PageRetryMaxDelaySeconds * 1000.0));
        return capped / 2 + capped / 2 * Random.Shared.NextDouble();
    }

    private SyncFailure Spent(AdapterException error)
    {
        var (code, what) = error.Kind == AdapterErrorKind.RateLimited
            ? ("ADAPTER_RATE_LIMITED", "kept answering 429 (rate limited)")
            : ("ADAPTER_UNAVAILABLE", "stayed unavailable (5xx, timeouts or connection failures)");
        var seconds = (int)(time.GetUtcNow() - _firstFailureAt).TotalSeconds;
        return new SyncFailure(code,
            $"{system} {what} for {_failures} attempts at the same page over {seconds} s, each after the HTTP client's own retries; "
            + $"the sync gave up (runner.page_retry_attempts, runner.page_retry_max_wait_seconds) and can be run again later. Last error: {error.Message}",
            error);
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
