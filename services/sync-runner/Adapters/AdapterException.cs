namespace IntegrationSync.SyncRunner.Adapters;

public enum AdapterErrorKind
{
    /// <summary>Network error, timeout, 5xx: retry with backoff.</summary>
    Transient,
    /// <summary>429 or similar: retry after <see cref="AdapterException.RetryAfter"/>.</summary>
    RateLimited,
    /// <summary>The daily/org quota is spent: end the run early and resume after.</summary>
    QuotaExhausted,
    /// <summary>401 with an expired or revoked token: refresh once, then retry once.</summary>
    AuthExpired,
    /// <summary>The write lost against a concurrent change (412 / version mismatch).</summary>
    Conflict,
    /// <summary>Bad credentials, missing permission, unknown object: fail at once with an actionable message.</summary>
    Permanent,
}

public sealed class AdapterException(AdapterErrorKind kind, string message, TimeSpan? retryAfter = null, Exception? inner = null)
    : Exception(message, inner)
{
    public AdapterErrorKind Kind { get; } = kind;

    public TimeSpan? RetryAfter { get; } = retryAfter;
}
