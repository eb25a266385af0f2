using IntegrationSync.SyncApi.Errors;

namespace IntegrationSync.SyncApi.Paging;

/// <summary><c>limit</c> (1..100, default 20) and the opaque <c>continuationToken</c> of a list route.</summary>
public sealed record PageRequest(int Limit, string? CosmosContinuation)
{
    public const int DefaultLimit = 20;
    public const int MaxLimit = 100;

    public static PageRequest? Read(HttpContext http, List<FieldError> errors)
    {
        var query = http.Request.Query;
        var limit = DefaultLimit;
        if (query.TryGetValue("limit", out var rawLimit) && (!int.TryParse(rawLimit, out limit) || limit is < 1 or > MaxLimit))
        {
            errors.Add(new FieldError("limit", $"must be an integer from 1 to {MaxLimit}"));
            return null;
        }
        string? continuation = null;
        if (query.TryGetValue("continuationToken", out var rawToken) && !string.IsNullOrEmpty(rawToken))
        {
            continuation = Tokens(http).Open(http, rawToken.ToString());
            if (continuation is null)
            {
                errors.Add(new FieldError("continuationToken", "is not a token this API issued for this list and these filters"));
                return null;
            }
        }
        return new PageRequest(limit, continuation);
    }

    /// <summary>The token a client sends back for the next page of the same list; null on the last page.</summary>
    public static string? Encode(HttpContext http, string? cosmosContinuation) =>
        cosmosContinuation is null ? null : Tokens(http).Seal(http, cosmosContinuation);

    private static ContinuationTokens Tokens(HttpContext http) => http.RequestServices.GetRequiredService<ContinuationTokens>();
}

/// <summary>One page of a list; <c>continuationToken</c> is absent on the last page.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? ContinuationToken);
