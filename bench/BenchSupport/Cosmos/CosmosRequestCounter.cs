using System.Collections.Concurrent;
using System.Diagnostics;

namespace IntegrationSync.Bench.Support.Cosmos;

/// <summary>
/// Records every HTTP request this process sends to the Cosmos endpoint, from System.Net.Http's diagnostic events: every
/// CosmosClient in the process (the hosts' own included) is observed as it is, without a handler of ours in its pipeline.
/// </summary>
public sealed class CosmosRequestCounter : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>, IDisposable
{
    private const string HttpListener = "HttpHandlerDiagnosticListener";
    private const string RequestStop = "System.Net.Http.HttpRequestOut.Stop";

    private readonly string _authority;
    private readonly List<IDisposable> _subscriptions = [];
    private ConcurrentQueue<CosmosRequest> _requests = new();
    private long _lastRequestTimestamp = Stopwatch.GetTimestamp();

    private CosmosRequestCounter(Uri endpoint) => _authority = endpoint.Authority;

    public static CosmosRequestCounter Start(string endpoint)
    {
        var counter = new CosmosRequestCounter(new Uri(endpoint));
        lock (counter._subscriptions)
        {
            counter._subscriptions.Add(DiagnosticListener.AllListeners.Subscribe(counter));
        }
        return counter;
    }

    public TimeSpan SinceLastRequest => Stopwatch.GetElapsedTime(Interlocked.Read(ref _lastRequestTimestamp));

    /// <summary>The requests recorded since the last call, and a fresh start.</summary>
    public IReadOnlyList<CosmosRequest> Take() => [.. Interlocked.Exchange(ref _requests, new ConcurrentQueue<CosmosRequest>())];

    /// <summary>Waits until no request has been sent for <paramref name="quiet"/> (or <paramref name="limit"/> has passed).</summary>
    public async Task QuiescedAsync(TimeSpan quiet, TimeSpan limit)
    {
        var deadline = Stopwatch.StartNew();
        while (SinceLastRequest < quiet && deadline.Elapsed < limit)
        {
            await Task.Delay(50);
        }
    }

    public void OnNext(DiagnosticListener listener)
    {
        if (listener.Name == HttpListener)
        {
            lock (_subscriptions)
            {
                _subscriptions.Add(listener.Subscribe(this, name => name.StartsWith("System.Net.Http.HttpRequestOut", StringComparison.Ordinal)));
            }
        }
    }

    public void OnNext(KeyValuePair<string, object?> value)
    {
        if (value.Key != RequestStop || value.Value is null
            || Property<HttpRequestMessage>(value.Value, "Request") is not { } request || request.RequestUri?.Authority != _authority)
        {
            return;
        }
        _requests.Enqueue(CosmosRequest.From(request, Property<HttpResponseMessage>(value.Value, "Response")));
        Interlocked.Exchange(ref _lastRequestTimestamp, Stopwatch.GetTimestamp());
    }

    public void OnCompleted()
    {
    }

    public void OnError(Exception error)
    {
    }

    public void Dispose()
    {
        lock (_subscriptions)
        {
            _subscriptions.ForEach(s => s.Dispose());
            _subscriptions.Clear();
        }
    }

    // The event's payload is an internal type of System.Net.Http with public Request and Response properties.
    private static T? Property<T>(object payload, string name) where T : class =>
        payload.GetType().GetProperty(name)?.GetValue(payload) as T;
}
