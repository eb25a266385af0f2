using IntegrationSync.Shared.Contracts;
using IntegrationSync.Shared.Storage;

namespace IntegrationSync.Shared.Leases;

/// <summary>
/// One per OAuth connection (container <c>integration_sync_leases</c>, partition = tenant): which request owns the
/// latest refresh, how it ended, and how many refreshes in a row have failed. Written by token-refresher; read by runs
/// waiting for a refresh they asked for.
/// </summary>
public sealed record ConnectionRefreshDocument : CosmosDocument
{
    public const string Pending = "pending";
    public const string Refreshed = "refreshed";
    public const string Failed = "failed";

    public const string DocType = "token_refresh";

    public override string Type { get; init; } = DocType;
    public required string ConnectionId { get; init; }
    public required string IntegrationId { get; init; }

    /// <summary>Envelope id of the request that owns the current refresh; its redeliveries may carry on with it.</summary>
    public required string ClaimedBy { get; init; }
    public required string ClaimedAt { get; init; }
    public string Outcome { get; init; } = Pending;
    public string? CompletedAt { get; init; }
    public string? LastError { get; init; }

    /// <summary>When the outcome event was published; a redelivery does not publish it again.</summary>
    public string? AnnouncedAt { get; init; }
    public int ConsecutiveFailures { get; init; }

    /// <summary>The single-flight rule: a refresh claimed within <paramref name="window"/> before <paramref name="at"/> answers requests made then.</summary>
    public bool ClaimedWithin(TimeSpan window, DateTimeOffset at) => IsoTime.Parse(ClaimedAt) is { } claimedAt && claimedAt + window > at;

    public static string IdFor(string connectionId) => $"token-refresh-{connectionId}";
}
