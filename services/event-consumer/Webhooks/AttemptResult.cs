namespace IntegrationSync.EventConsumer.Webhooks;

/// <summary>
/// What one attempt got: the status (null when no answer came: a timeout, a refused or failed connection), how long it
/// took, why it failed, the start of the response body and the receiver's <c>Retry-After</c>.
/// </summary>
public sealed record AttemptResult(int? StatusCode, TimeSpan Latency, string? Error, string? ResponseBody = null, TimeSpan? RetryAfter = null)
{
    public bool Delivered => StatusCode is >= 200 and < 300;

    /// <summary>410 Gone: the receiver asks never to be sent anything again (Standard Webhooks).</summary>
    public bool Gone => StatusCode == 410;
}
