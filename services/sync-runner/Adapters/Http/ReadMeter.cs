namespace IntegrationSync.SyncRunner.Adapters.Http;

/// <summary>
/// A run's vendor calls: every attempt its requests made (the vendor counts retries against its quota too), and what the
/// vendor last said of its daily allocation. The runner keeps one per run, across the reads a retry starts again, so a
/// quota seen on one read stops the next before its first call (<see cref="AdapterHttp.SendAsync"/>).
/// </summary>
public sealed class ReadMeter
{
    public static readonly HttpRequestOptionsKey<ReadMeter> Key = new("integration-sync.adapter.read-meter");

    /// <summary>Which of the vendor's APIs a call used (a closed set per adapter): the <c>api</c> label of the calls metric.</summary>
    public static readonly HttpRequestOptionsKey<string> Api = new("integration-sync.adapter.api");

    private int _calls;
    private QuotaUsage? _usage;

    public int Calls => Volatile.Read(ref _calls);

    public QuotaUsage? Usage => Volatile.Read(ref _usage);

    /// <summary>Counts the request's attempts on this meter, under <paramref name="api"/>.</summary>
    public HttpRequestMessage Attach(HttpRequestMessage request, string api)
    {
        request.Options.Set(Key, this);
        request.Options.Set(Api, api);
        return request;
    }

    public void CountAttempt() => Interlocked.Increment(ref _calls);

    public void Observe(QuotaUsage? usage)
    {
        if (usage is not null)
        {
            Volatile.Write(ref _usage, usage);
        }
    }
}

/// <summary>Calls used of a vendor's daily allocation, as its response headers tell.</summary>
public sealed record QuotaUsage(long Used, long Limit)
{
    public double Share => Limit <= 0 ? 0 : (double)Used / Limit;
}

/// <summary>A vendor's reading of its quota headers on a response, or null when it sends none.</summary>
public delegate QuotaUsage? QuotaHeaders(HttpResponseMessage response);
