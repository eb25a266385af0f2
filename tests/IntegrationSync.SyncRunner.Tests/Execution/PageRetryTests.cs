using IntegrationSync.SyncRunner.Adapters;
using IntegrationSync.SyncRunner.Execution;
using IntegrationSync.TestSupport;

namespace IntegrationSync.SyncRunner.Tests.Execution;

public sealed class PageRetryTests
{
    private readonly ManualTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 8, 0, 0, TimeSpan.Zero));

    private PageRetry Retry(int attempts = 5, int delayMs = 1000, int maxDelaySeconds = 60, int maxWaitSeconds = 300) => new(new RunnerOptions
    {
        PageRetryAttempts = attempts, PageRetryDelayMs = delayMs, PageRetryMaxDelaySeconds = maxDelaySeconds, PageRetryMaxWaitSeconds = maxWaitSeconds,
    }, "hubspot", _time);

    /// <summary>Waits run on real timers: the manual clock would never let one end.</summary>
    private static AdapterException RateLimited(int retryAfterSeconds) => new(AdapterErrorKind.RateLimited,
        "hubspot: POST /crm/v3/objects/deals/search returned 429 TooManyRequests: rate limited after retries.",
        TimeSpan.FromSeconds(retryAfterSeconds));

    private static AdapterException Unavailable() => new(AdapterErrorKind.Transient, "hubspot: POST /crm/v3/objects/deals/search returned 503 ServiceUnavailable after retries.");

    [Theory]
    [InlineData(AdapterErrorKind.RateLimited, true)]
    [InlineData(AdapterErrorKind.Transient, true)]
    [InlineData(AdapterErrorKind.QuotaExhausted, false)]
    [InlineData(AdapterErrorKind.AuthExpired, false)]
    [InlineData(AdapterErrorKind.Permanent, false)]
    [InlineData(AdapterErrorKind.Conflict, false)]
    public void Only_transient_failures_are_read_again(AdapterErrorKind kind, bool retried) =>
        Assert.Equal(retried, PageRetry.Handles(new AdapterException(kind, "failed")));

    [Fact]
    public void The_vendors_Retry_After_is_waited_out_as_announced()
    {
        var retry = Retry();

        Assert.Equal(TimeSpan.FromSeconds(7), retry.Next(RateLimited(retryAfterSeconds: 7), "page-2"));
        Assert.Equal(TimeSpan.Zero, retry.Next(RateLimited(retryAfterSeconds: 0), "page-2"));
    }

    [Fact]
    public void Without_Retry_After_the_wait_doubles_per_attempt_with_jitter_up_to_the_cap()
    {
        var retry = Retry(attempts: 10, delayMs: 1000, maxDelaySeconds: 5);

        var waits = Enumerable.Range(0, 5).Select(_ => retry.Next(Unavailable(), "page-2")!.Value.TotalSeconds).ToList();

        Assert.InRange(waits[0], 0.5, 1);
        Assert.InRange(waits[1], 1, 2);
        Assert.InRange(waits[2], 2, 4);
        Assert.InRange(waits[3], 2.5, 5);
        Assert.InRange(waits[4], 2.5, 5);
    }

    [Fact]
    public void The_longest_budget_configurable_keeps_its_waits_at_the_cap()
    {
        var retry = Retry(attempts: 100, delayMs: 600_000, maxDelaySeconds: 600, maxWaitSeconds: 86_400);

        var waits = Enumerable.Range(0, 100).Select(_ => retry.Next(Unavailable(), "page-2")!.Value).ToList();

        Assert.All(waits, wait => Assert.InRange(wait, TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(10)));
    }

    [Fact]
    public void A_page_that_keeps_being_rate_limited_fails_the_run_after_its_attempts_saying_so()
    {
        var retry = Retry(attempts: 2);
        retry.Next(RateLimited(retryAfterSeconds: 1), "page-2");
        _time.Advance(TimeSpan.FromSeconds(20));
        retry.Next(RateLimited(retryAfterSeconds: 1), "page-2");
        _time.Advance(TimeSpan.FromSeconds(12));

        var failure = Assert.Throws<SyncFailure>(() => retry.Next(RateLimited(retryAfterSeconds: 1), "page-2"));

        Assert.Equal("ADAPTER_RATE_LIMITED", failure.Code);
        Assert.StartsWith("hubspot kept answering 429 (rate limited) for 3 attempts at the same page over 32 s", failure.Message);
        Assert.Contains("returned 429 TooManyRequests", failure.Message);
    }

    [Fact]
    public void A_page_that_stays_unavailable_fails_the_run_as_unavailable()
    {
        var retry = Retry(attempts: 1);
        retry.Next(Unavailable(), null);

        var failure = Assert.Throws<SyncFailure>(() => retry.Next(Unavailable(), null));

        Assert.Equal("ADAPTER_UNAVAILABLE", failure.Code);
        Assert.StartsWith("hubspot stayed unavailable", failure.Message);
        Assert.Contains("returned 503", failure.Message);
    }

    [Fact]
    public void No_attempts_configured_fails_at_the_first_failure()
    {
        var failure = Assert.Throws<SyncFailure>(() => Retry(attempts: 0).Next(Unavailable(), "page-2"));

        Assert.Contains("for 1 attempts", failure.Message);
    }

    [Fact]
    public void The_wait_for_one_page_is_bounded_in_all_even_with_attempts_left()
    {
        var retry = Retry(attempts: 10, delayMs: 8000, maxWaitSeconds: 10);

        var first = retry.Next(Unavailable(), "page-2")!.Value;
        var second = retry.Next(Unavailable(), "page-2")!.Value;

        Assert.Equal(TimeSpan.FromSeconds(10), first + second);
        Assert.Throws<SyncFailure>(() => retry.Next(Unavailable(), "page-2"));
    }

    [Fact]
    public void A_Retry_After_longer_than_the_page_has_left_ends_the_run_early_instead_of_waiting_or_failing()
    {
        Assert.Null(Retry(maxWaitSeconds: 60).Next(RateLimited(retryAfterSeconds: 3600), "page-2"));

        var retry = Retry(maxWaitSeconds: 60);
        retry.Next(RateLimited(retryAfterSeconds: 50), "page-2");
        Assert.Null(retry.Next(RateLimited(retryAfterSeconds: 11), "page-2"));
    }

    [Fact]
    public void A_page_read_in_the_end_leaves_the_next_page_a_budget_of_its_own()
    {
        var retry = Retry(attempts: 1, maxWaitSeconds: 10);
        retry.Next(RateLimited(retryAfterSeconds: 10), "page-2");

        Assert.Equal(TimeSpan.FromSeconds(10), retry.Next(RateLimited(retryAfterSeconds: 10), "page-3"));
        Assert.Throws<SyncFailure>(() => retry.Next(RateLimited(retryAfterSeconds: 0), "page-3"));
    }
}
