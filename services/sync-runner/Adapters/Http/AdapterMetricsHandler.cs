using System.Diagnostics;
using IntegrationSync.Shared.Hosting;

namespace IntegrationSync.SyncRunner.Adapters.Http;

/// <summary>Measures every attempt of a vendor call (it sits inside the retry pipeline): calls, latency by status class, and 429s.</summary>
public sealed class AdapterMetricsHandler(string adapter, FleetMetrics metrics) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var operation = request.Method.Method.ToLowerInvariant();
        // Inside the retry pipeline: every attempt is a call the vendor counts.
        if (request.Options.TryGetValue(ReadMeter.Key, out var meter))
        {
            meter.CountAttempt();
        }
        metrics.AdapterCall(adapter, request.Options.TryGetValue(ReadMeter.Api, out var api) ? api : "other");
        try
        {
            var response = await base.SendAsync(request, cancellationToken);
            metrics.AdapterRequest(adapter, operation, (int)response.StatusCode, Stopwatch.GetElapsedTime(started));
            return response;
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
        {
            metrics.AdapterRequest(adapter, operation, statusCode: null, Stopwatch.GetElapsedTime(started));
            throw;
        }
    }
}
