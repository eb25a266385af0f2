using System.Net;
using IntegrationSync.Shared.Configuration.Options;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;

namespace IntegrationSync.Shared.Storage;

/// <summary>
/// Writes that must not be lost to a blip (a run's checkpoints and heartbeats, lifecycle transitions): throttling left
/// over after the SDK's own 429 retries, 503, timeouts and dropped connections are retried with backoff (the server's
/// retry-after when it gives one) within <c>cosmos_db.write_retry_seconds</c>. Any other answer (400, 404, 409, 412) is
/// the caller's to handle, at once.
/// </summary>
public sealed class CosmosRetry(IOptions<CosmosDbOptions> options, TimeProvider time)
{
    private readonly ResiliencePipeline _pipeline = new ResiliencePipelineBuilder { TimeProvider = time }
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<Exception>(IsTransient),
            MaxRetryAttempts = int.MaxValue,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = TimeSpan.FromMilliseconds(200),
            MaxDelay = TimeSpan.FromSeconds(5),
            DelayGenerator = args => ValueTask.FromResult(args.Outcome.Exception is CosmosException { RetryAfter: { } after } ? after : (TimeSpan?)null),
        })
        .AddTimeout(TimeSpan.FromSeconds(options.Value.WriteRetrySeconds))
        .Build();

    public ValueTask<T> ExecuteAsync<T>(Func<CancellationToken, ValueTask<T>> write, CancellationToken cancellationToken) =>
        _pipeline.ExecuteAsync(write, cancellationToken);

    public ValueTask ExecuteAsync(Func<CancellationToken, ValueTask> write, CancellationToken cancellationToken) =>
        _pipeline.ExecuteAsync(write, cancellationToken);

    /// <summary>Worth trying again: the store was busy or out of reach, not answering no.</summary>
    public static bool IsTransient(Exception e) => e switch
    {
        CosmosException cosmos => cosmos.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable
            or HttpStatusCode.RequestTimeout or HttpStatusCode.GatewayTimeout or HttpStatusCode.BadGateway or HttpStatusCode.InternalServerError
            || (int)cosmos.StatusCode == 449,
        HttpRequestException or TimeoutException or IOException => true,
        _ => false,
    };
}
