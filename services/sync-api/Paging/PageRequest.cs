using System.Buffers.Text;
using System.Text;
using IntegrationSync.SyncApi.Errors;

namespace IntegrationSync.SyncApi.Paging;

/// <summary><c>limit</c> (1..100, default 20) and the opaque <c>continuationToken</c> of a list route.</summary>
public sealed record PageRequest(int Limit, string? CosmosContinuation)
{
    public const int DefaultLimit = 20;
    public const int MaxLimit = 100;

    public static PageRequest? Read(IQueryCollection query, List<FieldError> errors)
    {
        var limit = DefaultLimit;
        if (query.TryGetValue("limit", out var rawLimit) && (!int.TryParse(rawLimit, out limit) || limit is < 1 or > MaxLimit))
        {
            errors.Add(new FieldError("limit", $"must be an integer from 1 to {MaxLimit}"));
            return null;
        }
        string? continuation = null;
        if (query.TryGetValue("continuationToken", out var rawToken) && !string.IsNullOrEmpty(rawToken))
        {
            continuation = Decode(rawToken.ToString());
            if (continuation is null)
            {
                errors.Add(new FieldError("continuationToken", "is not a token this API issued"));
                return null;
            }
        }
        return new PageRequest(limit, continuation);
    }

    /// <summary>The Cosmos continuation is wrapped so that clients treat it as opaque and cannot hand us arbitrary JSON.</summary>
    public static string? Encode(string? cosmosContinuation) =>
        cosmosContinuation is null ? null : "v1." + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(cosmosContinuation));

    private static string? Decode(string token)
    {
        if (!token.StartsWith("v1.", StringComparison.Ordinal))
        {
            return null;
        }
        try
        {
            return Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token.AsSpan(3)));
        }
        catch (FormatException)
        {
            return null;
        }
    }
}

/// <summary>One page of a list; <c>continuationToken</c> is absent on the last page.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? ContinuationToken);
