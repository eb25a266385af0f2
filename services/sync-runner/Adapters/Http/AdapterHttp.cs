using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using IntegrationSync.Shared.Security;
using IntegrationSync.Shared.Security.Outbound;
using Polly.Timeout;

namespace IntegrationSync.SyncRunner.Adapters.Http;

/// <summary>
/// One adapter's calls to its vendor, written once for every adapter: send through the adapter's client (retries,
/// outbound guard), read the body within <c>adapter_http.max_response_bytes</c>, and turn what comes back into
/// <see cref="AdapterException"/> kinds — the vendor's own error codes first (<paramref name="vendorErrors"/>), then the
/// generic meaning of the status. Messages carry the status, the URL without its query and a sanitised vendor error,
/// never a body.
/// </summary>
/// <param name="vendorErrors">A vendor's refinement of an error response (quota codes, session errors), given the generic
/// <see cref="Classify"/> of it; null keeps the generic one.</param>
/// <param name="quota">Reads the vendor's daily allocation from its response headers, for the <see cref="ReadMeter"/> of a run.</param>
public sealed class AdapterHttp(
    IHttpClientFactory clients, AdapterHttpOptions options, TimeProvider time, OutboundPolicy policy,
    string clientName, string system, VendorErrors? vendorErrors = null, QuotaHeaders? quota = null)
{
    /// <summary>Marks a request (a create) that must not be repeated after a 5xx.</summary>
    public static readonly HttpRequestOptionsKey<bool> NotIdempotent = new("integration-sync.adapter.not-idempotent");

    public string System => system;

    /// <summary><c>adapter_http.max_page_size</c>: the most records a tenant's <c>pageSize</c> can ask for.</summary>
    public int MaxPageSize => options.MaxPageSize;

    public AdapterHttpOptions Options => options;

    /// <summary>The response was over <c>adapter_http.max_response_bytes</c>: an adapter that can ask for a smaller page does.</summary>
    public static bool IsTooLarge(AdapterException error) => error.InnerException is ResponseTooLargeException;

    /// <summary>
    /// Sends; any status comes back with its body read (bounded). Transport failures, refusals and oversized bodies throw.
    /// A request on a <see cref="ReadMeter"/> whose vendor said <c>adapter_http.quota_share</c> of its daily allocation is
    /// used is not sent: the run ends early, quota exhausted, and the tenant's other tools keep the rest.
    /// </summary>
    public async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Options.TryGetValue(ReadMeter.Key, out var meter);
        if (meter?.Usage is { } usage && usage.Share >= options.QuotaShare)
        {
            throw new AdapterException(AdapterErrorKind.QuotaExhausted, string.Create(CultureInfo.InvariantCulture,
                $"{system}: {usage.Used} of the {usage.Limit} API calls of the daily allocation are used ({usage.Share:P0}); the run stops at "
                + $"adapter_http.quota_share ({options.QuotaShare:P0}) and the next run continues from its cursor"));
        }
        HttpResponseMessage response;
        try
        {
            response = await clients.CreateClient(clientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e) when (OutboundRefusedException.Find(e) is { } refused)
        {
            throw new AdapterException(AdapterErrorKind.Permanent, $"{Where(request)} refused: {refused.Message}", inner: e);
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutRejectedException or OperationCanceledException)
        {
            throw new AdapterException(AdapterErrorKind.Transient, $"{Where(request)} failed after retries ({e.GetType().Name}: {e.Message})", inner: e);
        }
        meter?.Observe(quota?.Invoke(response));
        await BufferAsync(response, request, cancellationToken);
        return response;
    }

    /// <summary>Sends and returns the successful response; any error status becomes a classified exception.</summary>
    public async Task<HttpResponseMessage> SendOrThrowAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await SendAsync(request, cancellationToken);
        try
        {
            await EnsureSuccessAsync(response, cancellationToken);
            return response;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    /// <summary>Sends, checks the status and parses the body (null when empty).</summary>
    public async Task<JsonNode?> SendForJsonAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var response = await SendOrThrowAsync(request, cancellationToken);
        return await ReadJsonAsync(response, cancellationToken);
    }

    public async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            var generic = Classify(response, body);
            throw vendorErrors?.Invoke(response, body, generic) ?? generic;
        }
    }

    public async Task<JsonNode?> ReadJsonAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        try
        {
            return JsonNode.Parse(text);
        }
        catch (System.Text.Json.JsonException)
        {
            throw new AdapterException(AdapterErrorKind.Permanent, $"{Where(response.RequestMessage)} answered {(int)response.StatusCode} with a body that is not JSON");
        }
    }

    /// <summary>The generic meaning of an error status; vendors refine it (quota codes, error bodies) before falling back here.</summary>
    public AdapterException Classify(HttpResponseMessage response, string body)
    {
        var status = (int)response.StatusCode;
        var where = $"{Where(response.RequestMessage)} returned {status} {response.StatusCode}";
        var detail = VendorError.Describe(body);
        return response.StatusCode switch
        {
            HttpStatusCode.Unauthorized => new(AdapterErrorKind.AuthExpired, $"{where}: the access token was rejected; refresh the integration's credentials{detail}"),
            HttpStatusCode.Forbidden => new(AdapterErrorKind.Permanent, $"{where}: the credentials lack permission for this object or operation; grant it in {system}{detail}"),
            HttpStatusCode.NotFound => new(AdapterErrorKind.Permanent, $"{where}: unknown object or endpoint; check the integration's entity type and settings{detail}"),
            HttpStatusCode.Conflict or HttpStatusCode.PreconditionFailed => new(AdapterErrorKind.Conflict, $"{where}: the record changed concurrently{detail}"),
            HttpStatusCode.TooManyRequests => new(AdapterErrorKind.RateLimited, $"{where}: rate limited after retries{detail}", RetryAfter(response, time)),
            HttpStatusCode.RequestTimeout => new(AdapterErrorKind.Transient, $"{where} after retries{detail}", RetryAfter(response, time)),
            _ when status >= 500 => new(AdapterErrorKind.Transient, $"{where} after retries{detail}", RetryAfter(response, time)),
            _ when status is >= 300 and < 400 => new(AdapterErrorKind.Permanent,
                $"{where}: redirects are not followed (the credential would go with them); configure the URL the redirect points to"),
            _ => new(AdapterErrorKind.Permanent, $"{where}: the request was refused; check the integration's settings and query{detail}"),
        };
    }

    public static TimeSpan? RetryAfter(HttpResponseMessage response, TimeProvider time)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta;
        }
        if (header?.Date is { } date)
        {
            var wait = date - time.GetUtcNow();
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }
        return null;
    }

    /// <summary>
    /// A vendor's base URL from a tenant's settings: https on one of the vendor's own hosts (<paramref name="hostPatterns"/>),
    /// unless <c>outbound.allowed_hosts</c> / <c>allowed_networks</c> name it (tests, a vendor stand-in).
    /// </summary>
    public Uri Pinned(string url, string setting, params string[] hostPatterns)
    {
        var uri = new Uri(url);
        if (policy.IsAllowListed(uri) || (uri.Scheme == Uri.UriSchemeHttps && HostPattern.MatchesAny(uri.IdnHost, hostPatterns)))
        {
            return uri;
        }
        throw new AdapterException(AdapterErrorKind.Permanent,
            $"{system}: {setting} must be an https URL on {string.Join(" or ", hostPatterns)}; '{Redaction.WithoutQuery(uri)}' is not");
    }

    /// <summary>
    /// A paging link (absolute, or relative to <paramref name="relativeTo"/>, by default <paramref name="start"/>) that stays
    /// on the scheme, host and port the run started on: a link elsewhere would take the tenant's credential to a second
    /// host, so it fails the run.
    /// </summary>
    public Uri SameOrigin(Uri start, string link, Uri? relativeTo = null)
    {
        if (Uri.TryCreate(relativeTo ?? start, link, out var next)
            && Uri.Compare(next, start, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0
            && string.IsNullOrEmpty(next.UserInfo))
        {
            return next;
        }
        var target = next is null ? "an unreadable URL" : $"'{Redaction.WithoutQuery(next)}'";
        throw new AdapterException(AdapterErrorKind.Permanent,
            $"{system}: a paging link points to {target}, not to {start.GetComponents(UriComponents.SchemeAndServer, UriFormat.UriEscaped)} where the sync started; "
            + "paging links are followed only on that host, so the integration's credential never goes elsewhere");
    }

    private async Task BufferAsync(HttpResponseMessage response, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        // The pipeline's attempt timeout ended with the headers; the body gets a bound of its own.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(options.AttemptTimeoutSeconds));
        try
        {
            if (!await BoundedBody.TryBufferAsync(response, options.MaxResponseBytes, timeout.Token))
            {
                throw new AdapterException(AdapterErrorKind.Permanent,
                    $"{Where(request)} answered more than {options.MaxResponseBytes / 1024} KiB (adapter_http.max_response_bytes): "
                    + "lower the integration's pageSize or ask the operator to raise the limit", inner: new ResponseTooLargeException());
            }
        }
        catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            response.Dispose();
            throw new AdapterException(AdapterErrorKind.Transient, $"{Where(request)}: the response body could not be read ({e.GetType().Name}: {e.Message})", inner: e);
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    private string Where(HttpRequestMessage? request) => $"{system}: {request?.Method} {Redaction.WithoutQuery(request?.RequestUri)}";
}

/// <summary>A vendor's meaning of an error response, or null to keep <paramref name="generic"/>.</summary>
public delegate AdapterException? VendorErrors(HttpResponseMessage response, string body, AdapterException generic);

/// <summary>Marks an <see cref="AdapterException"/> for a response over <c>adapter_http.max_response_bytes</c>.</summary>
public sealed class ResponseTooLargeException() : Exception("the response is larger than adapter_http.max_response_bytes");
