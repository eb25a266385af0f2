namespace IntegrationSync.SyncApi.Inbound;

/// <summary>What a provider's verification decided: accepted with the notification's replay key and entity type, or refused with a code.</summary>
public sealed record InboundVerdict(string? EventKey, string? EntityType, int Status, string? Code, string? Message)
{
    public const string SignatureInvalid = "WEBHOOK_SIGNATURE_INVALID";
    public const string TimestampStale = "WEBHOOK_TIMESTAMP_STALE";
    public const string Replayed = "WEBHOOK_REPLAYED";

    public bool Accepted => EventKey is not null;

    public static InboundVerdict Accept(string eventKey, string? entityType) => new(eventKey, entityType, 202, null, null);

    /// <summary>401: not provably from the provider (no or a wrong signature, key or token).</summary>
    public static InboundVerdict Unverified(string message) => new(null, null, 401, SignatureInvalid, message);

    public static InboundVerdict Stale(string message) => new(null, null, 401, TimestampStale, message);

    /// <summary>400: verified, but not a notification the provider sends (after verification the body may be parsed).</summary>
    public static InboundVerdict Malformed(string message) => new(null, null, 400, "VALIDATION_ERROR", message);
}

/// <summary>One provider request as the verifiers see it: nothing of it has been parsed yet.</summary>
public sealed record InboundRequest(
    string Method, string SignedUrl, IHeaderDictionary Headers, IQueryCollection Query, string? PathToken, byte[] Body, DateTimeOffset Now,
    TimeSpan Tolerance)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var value) && value.Count == 1 && value[0] is { Length: > 0 } text ? text : null;
}
