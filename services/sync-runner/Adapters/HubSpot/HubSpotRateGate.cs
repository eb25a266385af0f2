using System.Collections.Concurrent;
using IntegrationSync.SyncRunner.Adapters.Http;
using Microsoft.Extensions.Options;

namespace IntegrationSync.SyncRunner.Adapters.HubSpot;

/// <summary>
/// HubSpot's <c>X-HubSpot-RateLimit-*</c> headers say when an account's window is spent; the next call for that
/// account waits for the window instead of spending a request on a 429.
/// </summary>
public sealed class HubSpotRateGate(IOptions<AdapterHttpOptions> options, TimeProvider time)
{
    private static readonly TimeSpan SafetyMargin = TimeSpan.FromMilliseconds(50);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _notBefore = new(StringComparer.Ordinal);

    public async Task WaitAsync(string account, CancellationToken cancellationToken)
    {
        if (_notBefore.TryGetValue(account, out var notBefore) && notBefore - time.GetUtcNow() is { Ticks: > 0 } wait)
        {
            await Task.Delay(wait, time, cancellationToken);
        }
    }

    public void Observe(string account, HttpResponseMessage response)
    {
        var pause = TimeSpan.Zero;
        if (HubSpotDailyLimit.Header(response, "X-HubSpot-RateLimit-Remaining") == 0)
        {
            pause = TimeSpan.FromMilliseconds(HubSpotDailyLimit.Header(response, "X-HubSpot-RateLimit-Interval-Milliseconds") ?? 10_000);
        }
        if (HubSpotDailyLimit.Header(response, "X-HubSpot-RateLimit-Secondly-Remaining") == 0 && pause < TimeSpan.FromSeconds(1))
        {
            pause = TimeSpan.FromSeconds(1);
        }
        if (pause > TimeSpan.Zero)
        {
            // The window is HubSpot's and started before our call; the margin covers timers that fire a little early.
            var bounded = TimeSpan.FromMilliseconds(Math.Min(pause.TotalMilliseconds, options.Value.MaxRateLimitPauseMs)) + SafetyMargin;
            _notBefore[account] = time.GetUtcNow() + bounded;
        }
    }
}
