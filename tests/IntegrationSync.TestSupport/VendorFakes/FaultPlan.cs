using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;

namespace IntegrationSync.TestSupport.VendorFakes;

/// <summary>
/// What a fake vendor API does wrong before it answers: a storm of 429s with <c>Retry-After</c>, 5xx blips, a token
/// that expires after some calls. It also notes retries that came before the announced <c>Retry-After</c> had passed.
/// </summary>
public sealed class FaultPlan
{
    private readonly Lock _gate = new();
    private DateTimeOffset _retryNotBefore = DateTimeOffset.UnixEpoch;
    private int _tooManyRequests;
    private int _serverErrors;
    private int _hangs;
    private int _authorizedCalls;

    public string ValidToken { get; set; } = "valid-token";

    /// <summary>How a request proves itself; by default <c>Authorization: Bearer {ValidToken}</c>.</summary>
    public Func<HttpRequest, bool>? Authorize { get; set; }

    /// <summary>After this many authorized calls the token is treated as expired (401).</summary>
    public int? TokenExpiresAfterCalls { get; set; }

    public int RetryAfterSeconds { get; set; } = 1;

    public int EarlyRetries { get; private set; }

    public int Rejected429 { get; private set; }

    public int Rejected5xx { get; private set; }

    public ConcurrentQueue<string> Requests { get; } = new();

    public void TooManyRequests(int count, int retryAfterSeconds = 1)
    {
        lock (_gate)
        {
            _tooManyRequests = count;
            RetryAfterSeconds = retryAfterSeconds;
        }
    }

    public void ServerErrors(int count)
    {
        lock (_gate)
        {
            _serverErrors = count;
        }
    }

    /// <summary>The next <paramref name="count"/> requests get no answer until the client gives up.</summary>
    public void Hangs(int count)
    {
        lock (_gate)
        {
            _hangs = count;
        }
    }

    public bool ShouldHang()
    {
        lock (_gate)
        {
            if (_hangs == 0)
            {
                return false;
            }
            _hangs--;
            return true;
        }
    }

    /// <summary>Null to serve the request; otherwise the status (and Retry-After) to answer with.</summary>
    public (int Status, int? RetryAfter)? Intercept(HttpRequest request)
    {
        Requests.Enqueue($"{request.Method} {request.Path}{request.QueryString}");
        lock (_gate)
        {
            var now = DateTimeOffset.UtcNow;
            // Timers and the wall clock differ by a few milliseconds; a retry that ignored Retry-After comes far earlier.
            if (now < _retryNotBefore - TimeSpan.FromMilliseconds(100))
            {
                EarlyRetries++;
            }
            if (_tooManyRequests > 0)
            {
                _tooManyRequests--;
                Rejected429++;
                _retryNotBefore = now.AddSeconds(RetryAfterSeconds);
                return (429, RetryAfterSeconds);
            }
            if (_serverErrors > 0)
            {
                _serverErrors--;
                Rejected5xx++;
                return (503, null);
            }
            var authorized = Authorize?.Invoke(request) ?? request.Headers.Authorization.ToString() == $"Bearer {ValidToken}";
            if (!authorized || _authorizedCalls >= (TokenExpiresAfterCalls ?? int.MaxValue))
            {
                return (401, null);
            }
            _authorizedCalls++;
            return null;
        }
    }
}
