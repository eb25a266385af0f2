using IntegrationSync.Shared.Configuration.Options;
using IntegrationSync.Shared.Leases;
using IntegrationSync.Shared.Storage;
using Microsoft.Extensions.Options;

namespace IntegrationSync.SyncRunner.Execution;

/// <summary>
/// How token-refresher's refresh of a connection ended, read from its lease of the connection. The lease is durable,
/// written before <c>integration.token.refresh.failed</c> is published, and readable by every replica, so a run waiting for
/// a refresh learns of its failure whichever replica asked; the event itself would reach only one replica of the runner queue.
/// </summary>
public sealed class TokenRefreshOutcomes(CosmosContainers containers, IOptions<TokenRefreshOptions> options)
    : CosmosRepository<ConnectionRefreshDocument>(containers.Leases, containers.Kind(ConnectionRefreshDocument.DocType))
{
    /// <summary>The connection's lease as it is now; read before asking for a refresh, it tells later which refresh answers the request.</summary>
    public Task<ConnectionRefreshDocument?> LeaseAsync(string tenantId, string connectionId, CancellationToken cancellationToken) =>
        ReadAsync(tenantId, ConnectionRefreshDocument.IdFor(connectionId), cancellationToken);

    /// <summary>The error of the refresh that answers a request made at <paramref name="requestedAt"/>, once it has failed.</summary>
    public async Task<string?> FailureAsync(string tenantId, string connectionId, ConnectionRefreshDocument? before, DateTimeOffset requestedAt,
        CancellationToken cancellationToken) =>
        FailureOf(before, await LeaseAsync(tenantId, connectionId, cancellationToken), requestedAt, TimeSpan.FromSeconds(options.Value.SingleFlightSeconds));

    /// <summary>
    /// A request is answered by a refresh claimed after <paramref name="before"/> was read, or by one claimed within the
    /// single-flight window before it (token-refresher starts no other then, even when that one has already failed).
    /// Null while that refresh is pending, after it succeeded, or when the lease shows only an older refresh.
    /// </summary>
    public static string? FailureOf(ConnectionRefreshDocument? before, ConnectionRefreshDocument? now, DateTimeOffset requestedAt, TimeSpan singleFlight)
    {
        if (now is not { Outcome: ConnectionRefreshDocument.Failed })
        {
            return null;
        }
        var answersRequest = now.ClaimedBy != before?.ClaimedBy || now.ClaimedWithin(singleFlight, requestedAt);
        return answersRequest ? now.LastError ?? "no error given" : null;
    }
}
