using IntegrationSync.Shared.Configuration.Options;
using IntegrationSync.Shared.Contracts;
using IntegrationSync.Shared.Leases;
using IntegrationSync.Shared.Storage;
using Microsoft.Extensions.Options;

namespace IntegrationSync.TokenRefresher.Refresh;

/// <summary>
/// Single flight across replicas: a request claims its connection's document by create-or-ETag; another request
/// within <c>token_refresh.single_flight_seconds</c> of the claim loses. The outcome and the failure streak are
/// recorded on the same document in one ETag-guarded write, so a redelivery never counts twice.
/// </summary>
public sealed class ConnectionRefreshLeases(CosmosContainers containers, IOptions<TokenRefreshOptions> options, TimeProvider time)
    : CosmosRepository<ConnectionRefreshDocument>(containers.Leases, containers.Kind(ConnectionRefreshDocument.DocType))
{
    public async Task<RefreshClaim> ClaimAsync(RefreshRequest request, CancellationToken cancellationToken)
    {
        var window = TimeSpan.FromSeconds(options.Value.SingleFlightSeconds);
        RefreshClaim? answer = null;
        var claimed = await ChangeAsync(request.TenantId, ConnectionRefreshDocument.IdFor(request.ConnectionId), current =>
        {
            var now = time.GetUtcNow();
            if (current is null)
            {
                return NewClaim(request, now);
            }
            if (current.ClaimedBy == request.MessageId)
            {
                answer = new RefreshClaim(current.Outcome == ConnectionRefreshDocument.Pending ? ClaimKind.Claimed : ClaimKind.Replay, current);
                return null;
            }
            if (current.ClaimedWithin(window, now))
            {
                answer = new RefreshClaim(ClaimKind.Duplicate, current);
                return null;
            }
            return current with
            {
                IntegrationId = request.IntegrationId,
                ClaimedBy = request.MessageId,
                ClaimedAt = IsoTime.Format(now),
                Outcome = ConnectionRefreshDocument.Pending,
                CompletedAt = null,
                AnnouncedAt = null,
            };
        }, cancellationToken);
        return claimed is not null ? new RefreshClaim(ClaimKind.Claimed, claimed) : answer!;
    }

    /// <summary>Records how the refresh ended: a success resets the failure streak, a failure extends it.</summary>
    public async Task<ConnectionRefreshDocument> CompleteAsync(RefreshRequest request, RefreshAnswer answer, CancellationToken cancellationToken)
    {
        var completedAt = IsoTime.Format(time.GetUtcNow());
        return await UpdateAsync(request.TenantId, ConnectionRefreshDocument.IdFor(request.ConnectionId), lease => lease with
            {
                Outcome = answer.Success ? ConnectionRefreshDocument.Refreshed : ConnectionRefreshDocument.Failed,
                CompletedAt = completedAt,
                LastError = answer.Error,
                AnnouncedAt = null,
                ConsecutiveFailures = answer.Success ? 0 : lease.ConsecutiveFailures + 1,
            }, cancellationToken)
            ?? throw new InvalidOperationException($"Refresh lease of connection {request.ConnectionId} vanished before its outcome was recorded.");
    }

    /// <summary>Notes that the outcome was published; a lost race means the lease moved on and there is nothing to note.</summary>
    public async Task<ConnectionRefreshDocument> MarkAnnouncedAsync(ConnectionRefreshDocument lease, CancellationToken cancellationToken) =>
        await TryReplaceAsync(lease with { AnnouncedAt = IsoTime.Format(time.GetUtcNow()) }, cancellationToken) ?? lease;

    private static ConnectionRefreshDocument NewClaim(RefreshRequest request, DateTimeOffset now) => new()
    {
        Id = ConnectionRefreshDocument.IdFor(request.ConnectionId),
        TenantId = request.TenantId,
        ConnectionId = request.ConnectionId,
        IntegrationId = request.IntegrationId,
        ClaimedBy = request.MessageId,
        ClaimedAt = IsoTime.Format(now),
    };
}
