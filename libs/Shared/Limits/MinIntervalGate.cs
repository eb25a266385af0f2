using System.Net;
using IntegrationSync.Shared.Contracts;
using IntegrationSync.Shared.Storage;
using Microsoft.Azure.Cosmos;

namespace IntegrationSync.Shared.Limits;

/// <summary>
/// The minimum interval between two syncs of one integration (<c>sync_limits.min_interval_minutes</c>), shared by
/// every replica: one window document per integration in <c>integration_sync_state</c> (partition = tenant), opened
/// by create or ETag check-and-set, so of two concurrent callers exactly one opens it.
/// <list type="bullet">
/// <item>API trigger: <see cref="TryOpenAsync"/>; refused → 429 with <see cref="MinIntervalDecision.RetryAfter"/>.</item>
/// <item>Scheduled or webhook work: the same call; refused → defer the work by <see cref="MinIntervalDecision.RetryAfter"/>
/// (coalesced), never drop it.</item>
/// </list>
/// The <c>holder</c> (e.g. the task id) makes an open re-entrant: a retry of the same work passes while its own window
/// is open. <see cref="ReleaseAsync"/> closes a window whose work never started. A zero interval disables the gate.
/// </summary>
public sealed class MinIntervalGate(CosmosContainers containers, TimeProvider time)
    : CosmosRepository<MinIntervalWindowDocument>(containers.SyncState, containers.Kind(MinIntervalWindowDocument.DocType))
{
    public async Task<MinIntervalDecision> TryOpenAsync(
        string tenantId, string integrationId, TimeSpan interval, string? holder, CancellationToken cancellationToken)
    {
        if (interval <= TimeSpan.Zero)
        {
            return MinIntervalDecision.Allowed;
        }
        var decision = MinIntervalDecision.Allowed;
        await ChangeAsync(tenantId, MinIntervalWindowDocument.IdFor(integrationId), current =>
        {
            var now = time.GetUtcNow();
            var openUntil = current is null ? now : IsoTime.Parse(current.OpenUntil) ?? now;
            if (openUntil > now)
            {
                decision = holder is not null && current!.Holder == holder ? MinIntervalDecision.Allowed : MinIntervalDecision.Refused(openUntil - now);
                return null;
            }
            decision = MinIntervalDecision.Allowed;
            return new MinIntervalWindowDocument
            {
                Id = MinIntervalWindowDocument.IdFor(integrationId),
                TenantId = tenantId,
                IntegrationId = integrationId,
                OpenedAt = IsoTime.Format(now),
                OpenUntil = IsoTime.Format(now + interval),
                Holder = holder,
            };
        }, cancellationToken);
        return decision;
    }

    /// <summary>Closes the window if <paramref name="holder"/> still holds it (its work never ran); false otherwise.</summary>
    public async Task<bool> ReleaseAsync(string tenantId, string integrationId, string holder, CancellationToken cancellationToken)
    {
        var id = MinIntervalWindowDocument.IdFor(integrationId);
        var current = await ReadAsync(tenantId, id, cancellationToken);
        if (current is null || current.Holder != holder)
        {
            return false;
        }
        try
        {
            await Container.DeleteItemAsync<MinIntervalWindowDocument>(id, new PartitionKey(tenantId),
                new ItemRequestOptions { IfMatchEtag = current.ETag }, cancellationToken).WaitAsync(cancellationToken);
            return true;
        }
        catch (CosmosException e) when (e.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.PreconditionFailed)
        {
            return false;
        }
    }
}

/// <summary>Whether the work may run now; if not, how long until the window closes.</summary>
public sealed record MinIntervalDecision(bool IsAllowed, TimeSpan RetryAfter)
{
    public static readonly MinIntervalDecision Allowed = new(true, TimeSpan.Zero);

    public static MinIntervalDecision Refused(TimeSpan retryAfter) => new(false, retryAfter);

    /// <summary>Whole seconds, rounded up, at least 1: the value of a <c>Retry-After</c> header.</summary>
    public int RetryAfterSeconds => Math.Max(1, (int)Math.Ceiling(RetryAfter.TotalSeconds));
}
