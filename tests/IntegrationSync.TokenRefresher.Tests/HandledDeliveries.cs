using System.Collections.Concurrent;
using System.Diagnostics;
using IntegrationSync.Shared.Messaging;

namespace IntegrationSync.TokenRefresher.Tests;

/// <summary>
/// Message ids whose consumer span ended, i.e. whose delivery was acked, retried or parked: lets a test wait until
/// duplicates were dealt with instead of guessing how long that takes.
/// </summary>
public sealed class HandledDeliveries : IDisposable
{
    private readonly ConcurrentDictionary<string, int> _handled = new();
    private readonly ActivityListener _listener;

    public HandledDeliveries()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == MessagingTelemetry.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (activity.Kind == ActivityKind.Consumer && activity.GetTagItem("messaging.message.id") is string id)
                {
                    _handled.AddOrUpdate(id, 1, (_, n) => n + 1);
                }
            },
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public int Count(string messageId) => _handled.GetValueOrDefault(messageId);

    public async Task WaitAsync(IEnumerable<string> messageIds, TimeSpan timeout)
    {
        var ids = messageIds.ToList();
        var deadline = DateTime.UtcNow + timeout;
        while (ids.Any(id => Count(id) == 0))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{ids.Count(id => Count(id) == 0)} of {ids.Count} deliveries were not handled in time");
            }
            await Task.Delay(20);
        }
    }

    public void Dispose() => _listener.Dispose();
}
