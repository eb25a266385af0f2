using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;

namespace IntegrationSync.TestSupport.VendorFakes;

/// <summary>
/// What a fake vendor API does wrong before it answers: a storm of 429s with <c>Retry-After</c>, 5xx blips, a token
/// that expires after some calls. It also notes retries that came before the announced <c>Retry-After</c> had passed.
/// </summary>
public sealed class FaultPlan
{
    /// <summary>In a <see cref="Script"/>: let the request through to the token check and the route.</summary>
    public const int Serve = 200;

    private readonly Lock _gate = new();
    private readonly Queue<int> _script = new();
    private DateTimeOffset _retryNotBefore = DateTimeOffset.UnixEpoch;
    private TimeSpan _hangFor;
    private int _tooManyRequests;
    private int _serverErrors;
    private int _hangs;
    private int _authorizedCalls;
    private int _oversized;
    private int _oversizedBytes;

    public string ValidToken { get; set; } = "valid-token";

    /// <summary>How long every request waits before it is answered (a slow vendor, so that a run can be caught mid-read).</summary>
    public TimeSpan ResponseDelay { get; set; }

    /// <summary>How a request proves itself; by default <c>Authorization: Bearer {ValidToken}</c>.</summary>
    public Func<HttpRequest, bool>? Authorize { get; set; }

    /// <summary>After this many authorized calls the token is treated as expired (401).</summary>
    public int? TokenExpiresAfterCalls { get; set; }

    /// <summary>The token a refresh hands out: accepted (as <c>Bearer</c>) even after <see cref="TokenExpiresAfterCalls"/> expired the first.</summary>
    public string? RefreshedToken { get; set; }

    public int RetryAfterSeconds { get; set; } = 1;

    /// <summary>A <c>Retry-After</c> sent with 5xx answers too (none by default).</summary>
    public int? ServerErrorRetryAfterSeconds { get; set; }

    public int EarlyRetries { get; private set; }

    public int Rejected429 { get; private set; }

    public int Rejected5xx { get; private set; }

    public int Rejected401 { get; private set; }

    /// <summary>Requests left unanswered by <see cref="Hangs"/> (not in <see cref="Requests"/>).</summary>
    public int Hung { get; private set; }

    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>Where a scripted 3xx answer points (its <c>Location</c>).</summary>
    public string? RedirectTo { get; set; }

    /// <summary>Every answer sets a session cookie, as some vendors do; <see cref="CookiesReceived"/> counts requests that sent one back.</summary>
    public bool SetsCookies { get; set; }

    public int CookiesReceived { get; private set; }

    /// <summary>Replaces the vendor's own error body for statuses the plan answers with, e.g. one carrying internal text.</summary>
    public Func<int, string>? ErrorBody { get; set; }

    /// <summary>The next <paramref name="count"/> requests are answered 200 with a JSON body of about <paramref name="bytes"/> bytes.</summary>
    public void OversizedBodies(int count, int bytes)
    {
        lock (_gate)
        {
            _oversized = count;
            _oversizedBytes = bytes;
        }
    }

    /// <summary>The size of the oversized body to answer this request with; null to go on.</summary>
    public int? OversizedBody()
    {
        lock (_gate)
        {
            if (_oversized == 0)
            {
                return null;
            }
            _oversized--;
            return _oversizedBytes;
        }
    }

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

    /// <summary>
    /// The answers to the next requests, one status each, in order: <see cref="Serve"/> lets a request through, anything
    /// else is answered with that status (429 with <see cref="RetryAfterSeconds"/>). E.g. a storm on some pages only.
    /// </summary>
    public void Script(params int[] statuses)
    {
        lock (_gate)
        {
            _script.Clear();
            foreach (var status in statuses)
            {
                _script.Enqueue(status);
            }
        }
    }

    /// <summary>The next <paramref name="count"/> requests get no answer for <paramref name="duration"/> (30 s) or until the client gives up.</summary>
    public void Hangs(int count, TimeSpan? duration = null)
    {
        lock (_gate)
        {
            _hangs = count;
            _hangFor = duration ?? TimeSpan.FromSeconds(30);
        }
    }

    /// <summary>How long to leave this request unanswered; null to go on.</summary>
    public TimeSpan? HangTime()
    {
        lock (_gate)
        {
            if (_hangs == 0)
            {
                return null;
            }
            _hangs--;
            Hung++;
            return _hangFor;
        }
    }

    /// <summary>Null to serve the request; otherwise the status (and Retry-After) to answer with.</summary>
    public (int Status, int? RetryAfter)? Intercept(HttpRequest request)
    {
        Requests.Enqueue($"{request.Method} {request.Path}{request.QueryString}");
        lock (_gate)
        {
            if (request.Headers.Cookie.Count > 0)
            {
                CookiesReceived++;
            }
            var now = DateTimeOffset.UtcNow;
            // Timers and the wall clock differ by a few milliseconds; a retry that ignored Retry-After comes far earlier.
            if (now < _retryNotBefore - TimeSpan.FromMilliseconds(100))
            {
                EarlyRetries++;
            }
            var status = _script.TryDequeue(out var scripted) ? scripted : Serve;
            if (status == Serve && _tooManyRequests > 0)
            {
                _tooManyRequests--;
                status = 429;
            }
            else if (status == Serve && _serverErrors > 0)
            {
                _serverErrors--;
                status = 503;
            }
            if (status == 429)
            {
                Rejected429++;
                _retryNotBefore = now.AddSeconds(RetryAfterSeconds);
                return (429, RetryAfterSeconds);
            }
            if (status >= 500)
            {
                Rejected5xx++;
                return (status, ServerErrorRetryAfterSeconds);
            }
            if (status != Serve)
            {
                return (status, null);
            }
            var token = request.Headers.Authorization.ToString();
            var refreshed = RefreshedToken is not null && token == $"Bearer {RefreshedToken}";
            var authorized = Authorize?.Invoke(request) ?? token == $"Bearer {ValidToken}";
            if (!refreshed && (!authorized || _authorizedCalls >= (TokenExpiresAfterCalls ?? int.MaxValue)))
            {
                Rejected401++;
                return (401, null);
            }
            _authorizedCalls++;
            return null;
        }
    }
}
