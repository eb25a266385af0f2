using System.Net;
using System.Text.Json.Nodes;
using Polly.Timeout;

namespace IntegrationSync.SyncRunner.Adapters.Http;

/// <summary>Sending through an adapter client and turning what comes back into <see cref="AdapterException"/> kinds.</summary>
public static class AdapterHttp
{
    /// <summary>Marks a request (a create) that must not be repeated after a 5xx.</summary>
    public static readonly HttpRequestOptionsKey<bool> NotIdempotent = new("integration-sync.adapter.not-idempotent");

    public static async Task<HttpResponseMessage> SendAsync(HttpClient http, HttpRequestMessage request, string system, CancellationToken cancellationToken)
    {
        try
        {
            return await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutRejectedException or OperationCanceledException)
        {
            throw new AdapterException(AdapterErrorKind.Transient,
                $"{system}: {request.Method} {Describe(request.RequestUri)} failed after retries ({e.GetType().Name}: {e.Message})", inner: e);
        }
    }

    /// <summary>Sends and returns the successful response; any error status becomes a classified exception.</summary>
    public static async Task<HttpResponseMessage> SendOrThrowAsync(HttpClient http, HttpRequestMessage request, string system, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var response = await SendAsync(http, request, system, cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            return response;
        }
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            throw Classify(response, body, system, time);
        }
    }

    public static async Task<JsonNode?> ReadJsonAsync(HttpResponseMessage response, string system, CancellationToken cancellationToken)
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
        catch (System.Text.Json.JsonException e)
        {
            throw new AdapterException(AdapterErrorKind.Permanent, $"{system}: the response of {Describe(response.RequestMessage?.RequestUri)} is not JSON ({e.Message})", inner: e);
        }
    }

    /// <summary>The generic meaning of an error status; vendors refine it (quota codes, error bodies) before falling back here.</summary>
    public static AdapterException Classify(HttpResponseMessage response, string body, string system, TimeProvider time)
    {
        var status = (int)response.StatusCode;
        var where = $"{system}: {response.RequestMessage?.Method} {Describe(response.RequestMessage?.RequestUri)} returned {status} {response.StatusCode}";
        var detail = Excerpt(body);
        return response.StatusCode switch
        {
            HttpStatusCode.Unauthorized => new(AdapterErrorKind.AuthExpired, $"{where}: the access token was rejected; refresh the integration's credentials. {detail}"),
            HttpStatusCode.Forbidden => new(AdapterErrorKind.Permanent, $"{where}: the credentials lack permission for this object or operation; grant it in {system}. {detail}"),
            HttpStatusCode.NotFound => new(AdapterErrorKind.Permanent, $"{where}: unknown object or endpoint; check the integration's entity type and settings. {detail}"),
            HttpStatusCode.Conflict or HttpStatusCode.PreconditionFailed => new(AdapterErrorKind.Conflict, $"{where}: the record changed concurrently. {detail}"),
            HttpStatusCode.TooManyRequests => new(AdapterErrorKind.RateLimited, $"{where}: rate limited after retries. {detail}", RetryAfter(response, time)),
            HttpStatusCode.RequestTimeout => new(AdapterErrorKind.Transient, $"{where} after retries. {detail}", RetryAfter(response, time)),
            _ when status >= 500 => new(AdapterErrorKind.Transient, $"{where} after retries. {detail}", RetryAfter(response, time)),
            _ => new(AdapterErrorKind.Permanent, $"{where}: the request was refused; check the integration's settings and query. {detail}"),
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

    /// <summary>Scheme, host and path only: query strings can carry filters or keys and never go into messages.</summary>
    public static string Describe(Uri? uri) => uri is null ? "(no url)" : uri.IsAbsoluteUri ? uri.GetLeftPart(UriPartial.Path) : uri.OriginalString.Split('?')[0];

    private static string Excerpt(string body)
    {
        var text = body.ReplaceLineEndings(" ").Trim();
        return text.Length == 0 ? "" : text.Length > 300 ? $"Response: {text[..300]}…" : $"Response: {text}";
    }
}
