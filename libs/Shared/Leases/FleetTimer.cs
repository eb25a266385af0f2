using IntegrationSync.Shared.Contracts;
using IntegrationSync.Shared.Messaging;
using IntegrationSync.Shared.Storage;

namespace IntegrationSync.Shared.Leases;

/// <summary>
/// A timer that fires once per fleet per interval, however many replicas run: a replica fires only if it
/// moves the shared due time forward under the document's ETag.
/// </summary>
public sealed class FleetTimer(CosmosContainers containers, ServiceIdentity identity, TimeProvider time)
    : CosmosRepository<FleetTimerDocument>(containers.Leases, containers.Kind(FleetTimerDocument.DocType))
{
    /// <summary>True if this replica won the tick that is due now; <paramref name="nextCheck"/> says when to ask again.</summary>
    public async Task<(bool Fired, TimeSpan NextCheck)> TryFireAsync(string name, TimeSpan interval, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var dueAt = now;
        var fired = await ChangeAsync(FleetTimerDocument.SystemTenant, name, current =>
        {
            dueAt = current is null ? now : IsoTime.Parse(current.DueAt) ?? now;
            return dueAt > now ? null : new FleetTimerDocument
            {
                Id = name,
                TenantId = FleetTimerDocument.SystemTenant,
                DueAt = IsoTime.Format(now + interval),
                FiredBy = identity.Instance,
                FiredAt = IsoTime.Format(now),
            };
        }, cancellationToken);
        return fired is not null ? (true, interval) : (false, dueAt - now);
    }
}
