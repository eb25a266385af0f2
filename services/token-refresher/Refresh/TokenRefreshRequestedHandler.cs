using IntegrationSync.Shared.Hosting;
using IntegrationSync.Shared.Configuration.Options;
using IntegrationSync.Shared.Contracts.Events;
using IntegrationSync.Shared.Leases;
using IntegrationSync.Shared.Messaging;
using Microsoft.Extensions.Options;

namespace IntegrationSync.TokenRefresher.Refresh;

/// <summary>
/// Refreshes one OAuth connection through integration-manager, once per single-flight window across replicas, and
/// announces the outcome. A redelivery never calls or counts again; it only finishes what its first delivery left undone.
/// </summary>
public sealed class TokenRefreshRequestedHandler(
    ConnectionRefreshLeases leases,
    ConnectionRefreshClient integrationManager,
    IEventPublisher publisher,
    FleetMetrics metrics,
    IOptions<TokenRefreshOptions> options,
    ILogger<TokenRefreshRequestedHandler> logger) : IEventHandler<TokenRefreshRequested>
{
    public async Task HandleAsync(EventContext<TokenRefreshRequested> context, CancellationToken cancellationToken)
    {
        var request = RefreshRequest.From(context);
        var claim = await leases.ClaimAsync(request, cancellationToken);
        switch (claim.Kind)
        {
            case ClaimKind.Duplicate:
                logger.LogInformation("Refresh of connection {ConnectionId} skipped: request {ClaimedBy} claimed it at {ClaimedAt} ({Outcome})",
                    request.ConnectionId, claim.Lease.ClaimedBy, claim.Lease.ClaimedAt, claim.Lease.Outcome);
                return;
            case ClaimKind.Replay:
                await AnnounceAsync(request, claim.Lease, cancellationToken);
                return;
        }

        // Transient failures that outlast the client's retries throw: the consumer retries the message, then parks it.
        var answer = await integrationManager.RefreshAsync(request, cancellationToken);
        var lease = await leases.CompleteAsync(request, answer, cancellationToken);
        metrics.TokenRefresh(answer.Success ? "refreshed" : "failed");
        await AnnounceAsync(request, lease, cancellationToken);
    }

    private async Task AnnounceAsync(RefreshRequest request, ConnectionRefreshDocument lease, CancellationToken cancellationToken)
    {
        var refreshed = lease.Outcome == ConnectionRefreshDocument.Refreshed;
        var error = lease.LastError ?? "unknown error";
        if (lease.AnnouncedAt is null)
        {
            var at = lease.CompletedAt!;
            if (refreshed)
            {
                await publisher.PublishAsync(new TokenRefreshed(request.ConnectionId, request.IntegrationId, at), request.TenantId, cancellationToken: cancellationToken);
                logger.LogInformation("Refreshed OAuth connection {ConnectionId} of integration {IntegrationId}", request.ConnectionId, request.IntegrationId);
            }
            else
            {
                await publisher.PublishAsync(new TokenRefreshFailed(request.ConnectionId, request.IntegrationId, error, at), request.TenantId, cancellationToken: cancellationToken);
                logger.LogWarning("Refresh of OAuth connection {ConnectionId} failed ({Failures} in a row): {Error}",
                    request.ConnectionId, lease.ConsecutiveFailures, error);
            }
            lease = await leases.MarkAnnouncedAsync(lease, cancellationToken);
        }

        // Every failure from the Nth on re-asserts the error, in case someone re-enabled the integration meanwhile.
        if (!refreshed && lease.ConsecutiveFailures >= options.Value.MaxConsecutiveFailures)
        {
            if (await integrationManager.MarkIntegrationInErrorAsync(request, error, cancellationToken))
            {
                logger.LogWarning("Integration {IntegrationId} put in error after {Failures} failed token refreshes", request.IntegrationId, lease.ConsecutiveFailures);
            }
            else
            {
                logger.LogInformation("Integration {IntegrationId} no longer exists; not marked in error", request.IntegrationId);
            }
        }
    }
}
