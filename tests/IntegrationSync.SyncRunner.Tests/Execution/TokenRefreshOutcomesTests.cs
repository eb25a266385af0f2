using IntegrationSync.Shared.Contracts;
using IntegrationSync.Shared.Leases;
using IntegrationSync.SyncRunner.Execution;

namespace IntegrationSync.SyncRunner.Tests.Execution;

/// <summary>Which refresh answers a run's request, told from token-refresher's lease of the connection before and after asking.</summary>
public sealed class TokenRefreshOutcomesTests
{
    private static readonly DateTimeOffset AskedAt = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan SingleFlight = TimeSpan.FromSeconds(60);

    private static ConnectionRefreshDocument Lease(string claimedBy, DateTimeOffset claimedAt, string outcome, string? error = null) => new()
    {
        Id = ConnectionRefreshDocument.IdFor("conn-1"), TenantId = "tenant-1", ConnectionId = "conn-1", IntegrationId = "int-1",
        ClaimedBy = claimedBy, ClaimedAt = IsoTime.Format(claimedAt), Outcome = outcome, LastError = error,
        CompletedAt = outcome == ConnectionRefreshDocument.Pending ? null : IsoTime.Format(claimedAt.AddSeconds(1)),
    };

    private static string? Failure(ConnectionRefreshDocument? before, ConnectionRefreshDocument? now) =>
        TokenRefreshOutcomes.FailureOf(before, now, AskedAt, SingleFlight);

    [Fact]
    public void A_refresh_claimed_after_asking_that_failed_answers_with_its_error()
    {
        var old = Lease("old", AskedAt.AddHours(-2), ConnectionRefreshDocument.Refreshed);

        Assert.Equal("invalid_grant", Failure(old, Lease("ours", AskedAt, ConnectionRefreshDocument.Failed, "invalid_grant")));
        Assert.Equal("invalid_grant", Failure(null, Lease("ours", AskedAt, ConnectionRefreshDocument.Failed, "invalid_grant")));
    }

    [Fact]
    public void The_refresh_in_flight_when_asking_answers_the_request_when_it_fails()
    {
        var inFlight = Lease("other", AskedAt.AddSeconds(-5), ConnectionRefreshDocument.Pending);

        Assert.Null(Failure(inFlight, inFlight));
        Assert.Equal("revoked", Failure(inFlight, Lease("other", AskedAt.AddSeconds(-5), ConnectionRefreshDocument.Failed, "revoked")));
    }

    [Fact]
    public void A_refresh_that_failed_just_before_asking_answers_it_as_no_other_starts_within_the_single_flight_window()
    {
        var failed = Lease("other", AskedAt.AddSeconds(-20), ConnectionRefreshDocument.Failed, "revoked");

        Assert.Equal("revoked", Failure(failed, failed));
    }

    [Fact]
    public void An_older_failure_does_not_answer_a_request_that_starts_a_refresh_of_its_own()
    {
        var failed = Lease("other", AskedAt.AddMinutes(-5), ConnectionRefreshDocument.Failed, "revoked");

        Assert.Null(Failure(failed, failed));
        Assert.Null(Failure(failed, Lease("ours", AskedAt, ConnectionRefreshDocument.Pending)));
    }

    [Fact]
    public void A_refresh_that_succeeded_or_no_lease_at_all_is_no_failure()
    {
        Assert.Null(Failure(null, Lease("ours", AskedAt, ConnectionRefreshDocument.Refreshed)));
        Assert.Null(Failure(null, null));
    }
}
