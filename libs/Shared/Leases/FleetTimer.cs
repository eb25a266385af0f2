using System.Net;
using IntegrationSync.Shared.Contracts;
using IntegrationSync.Shared.Messaging;
using IntegrationSync.Shared.Storage;
using Microsoft.Azure.Cosmos;

namespace IntegrationSync.Shared.Leases;

/// <summary>
/// A timer that fires once per fleet per interval, however many replicas run: a replica fires only if it
/// moves the shared due time forward under the document's ETag.
/// </summary>
public sealed class FleetTimer(CosmosContainers containers, ServiceIdentity identity, TimeProvider time)
    : CosmosRepository<FleetTimerDocument>(containers.Leases)
{
    /// <summary>True if this replica won the tick that is due now; <paramref name="nextCheck"/> says when to ask again.</summary>
    public async Task<(bool Fired, TimeSpan NextCheck)> TryFireAsync(string name, TimeSpan interval, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var claim = new FleetTimerDocument
        {
            Id = name,
            TenantId = FleetTimerDocument.SystemTenant,
            DueAt = IsoTime.Format(now + interval),
            FiredBy = identity.Instance,
            FiredAt = IsoTime.Format(now),
        };

        var current = await ReadAsync(FleetTimerDocument.SystemTenant, name, cancellationToken);
        if (current is null)
        {
            try
            {
                await CreateAsync(claim, cancellationToken);
                return (true, interval);
            }
            catch (CosmosException e) when (e.StatusCode == HttpStatusCode.Conflict)
            {
                return (false, TimeSpan.FromSeconds(1));
            }
        }

        var dueAt = IsoTime.Parse(current.DueAt) ?? now;
        if (dueAt > now)
        {
            return (false, dueAt - now);
        }
        var won = await TryReplaceAsync(claim with { ETag = current.ETag }, cancellationToken) is not null;
        return (won, won ? interval : TimeSpan.FromSeconds(1));
    }
}
