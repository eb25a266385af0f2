namespace IntegrationSync.Shared.Messaging;

/// <summary>Where a failed delivery goes next: a delay queue while retries remain, then the parking queue.</summary>
public static class FailurePolicy
{
    public static FailureRoute Route(QueueDefinition queue, IReadOnlyList<int> retryDelaysMs, int previousRetries, bool permanent) =>
        permanent || previousRetries >= retryDelaysMs.Count
            ? new FailureRoute(queue.DeadLetterQueue, Parked: true, previousRetries)
            : new FailureRoute(queue.RetryQueue(retryDelaysMs[previousRetries]), Parked: false, previousRetries + 1);
}

public sealed record FailureRoute(string Queue, bool Parked, int RetryCount);
