namespace IntegrationSync.Shared.Messaging;

/// <summary>
/// Where a failed delivery goes next: a delay queue while retries remain, then the parking queue. A failure because a
/// dependency is out of reach (<paramref name="outage"/>: Cosmos throttling or unavailable, a peer unreachable) is never
/// parked: it waits at the last delay until the dependency is back, since parking it would lose work nothing is wrong with.
/// </summary>
public static class FailurePolicy
{
    public static FailureRoute Route(QueueDefinition queue, IReadOnlyList<int> retryDelaysMs, int previousRetries, bool permanent, bool outage = false) =>
        permanent || (previousRetries >= retryDelaysMs.Count && !outage)
            ? new FailureRoute(queue.DeadLetterQueue, Parked: true, previousRetries)
            : new FailureRoute(queue.RetryQueue(retryDelaysMs[Math.Min(previousRetries, retryDelaysMs.Count - 1)]), Parked: false, previousRetries + 1);
}

public sealed record FailureRoute(string Queue, bool Parked, int RetryCount);
