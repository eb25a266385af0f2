using IntegrationSync.Shared.Configuration.Options;
using IntegrationSync.Shared.Contracts;
using IntegrationSync.Shared.Storage;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Options;

namespace IntegrationSync.SyncRunner.Slots;

/// <summary>
/// <c>sync_limits.max_concurrent_syncs_per_tenant</c> across all replicas. An execution holds a slot from its start
/// until its final event arrives (mapping included) or it pauses; work over the limit waits in the tenant's FIFO list and is dispatched when a
/// slot frees. Every change is one ETag-guarded update of the tenant's document; expired leases free their slot.
/// </summary>
public sealed class TenantSlots(CosmosContainers containers, IOptions<SyncLimitsOptions> limits, TimeProvider time)
    : CosmosRepository<TenantSlotsDocument>(containers.Leases, containers.Kind(TenantSlotsDocument.DocType))
{
    /// <summary>
    /// Takes a slot for the execution (or renews it); otherwise puts the task in the waiting list and returns false.
    /// <paramref name="force"/> takes one regardless of the limit (a resumed execution that held one before its runner died).
    /// </summary>
    public async Task<bool> TryAcquireAsync(string tenantId, string taskId, string executionId, TimeSpan lease, bool force, CancellationToken cancellationToken)
    {
        var acquired = false;
        await ChangeAsync(tenantId, slots =>
        {
            var now = time.GetUtcNow();
            var live = Live(slots, now).ToList();
            var holders = live.Where(h => h.ExecutionId != executionId).ToList();
            var place = slots.Waiting.FindIndex(w => w.TaskId == taskId);
            // FIFO: a task may start when fewer tasks wait ahead of it than there are free slots. A second delivery of
            // work that holds a slot already keeps it.
            acquired = force || holders.Count < live.Count
                || (place < 0 ? slots.Waiting.Count : place) < limits.Value.MaxConcurrentSyncsPerTenant - holders.Count;
            if (!acquired)
            {
                return slots with { Holders = holders, Waiting = place < 0 ? [.. slots.Waiting, new WaitingTask(taskId, IsoTime.Format(now))] : slots.Waiting };
            }
            holders.Add(new SlotHolder(executionId, taskId, IsoTime.Format(now + lease)));
            return slots with { Holders = holders, Waiting = slots.Waiting.Where(w => w.TaskId != taskId).ToList() };
        }, cancellationToken);
        return acquired;
    }

    /// <summary>
    /// Extends the execution's lease to at least <paramref name="lease"/> from now, never shortening it (a heartbeat that
    /// lands after the longer lease of the mapping phase must not cut it); false if it no longer holds a slot.
    /// </summary>
    public async Task<bool> RenewAsync(string tenantId, string executionId, TimeSpan lease, CancellationToken cancellationToken)
    {
        var held = false;
        await ChangeAsync(tenantId, slots =>
        {
            var expiresAt = IsoTime.Format(time.GetUtcNow() + lease);
            held = slots.Holders.Any(h => h.ExecutionId == executionId);
            return slots with
            {
                Holders = slots.Holders.Select(h => h.ExecutionId == executionId && string.CompareOrdinal(h.ExpiresAt, expiresAt) < 0
                    ? h with { ExpiresAt = expiresAt }
                    : h).ToList(),
            };
        }, cancellationToken);
        return held;
    }

    /// <summary>Frees the execution's slot; returns the tasks that may start now (oldest waiting first).</summary>
    public async Task<IReadOnlyList<string>> ReleaseAsync(string tenantId, string executionId, CancellationToken cancellationToken)
    {
        var slots = await ChangeAsync(tenantId, current => current with
        {
            Holders = Live(current, time.GetUtcNow()).Where(h => h.ExecutionId != executionId).ToList(),
        }, cancellationToken);
        return Dispatchable(slots);
    }

    /// <summary>Drops a task from the waiting list (it started elsewhere, finished or was cancelled).</summary>
    public Task RemoveWaitingAsync(string tenantId, string taskId, CancellationToken cancellationToken) =>
        ChangeAsync(tenantId, slots => slots with { Waiting = slots.Waiting.Where(w => w.TaskId != taskId).ToList() }, cancellationToken);

    /// <summary>Tasks waiting although a slot is free (a release whose dispatch was lost, or an expired lease).</summary>
    public async Task<IReadOnlyList<(string TenantId, string TaskId)>> FindDispatchableAsync(CancellationToken cancellationToken)
    {
        var all = await QueryAcrossTenantsAsync(new QueryDefinition($"SELECT * FROM c WHERE {OfKind} AND ARRAY_LENGTH(c.waiting) > 0"), cancellationToken);
        return all.SelectMany(slots => Dispatchable(slots with { Holders = Live(slots, time.GetUtcNow()).ToList() }).Select(task => (slots.TenantId, task))).ToList();
    }

    /// <summary>Every slot held across tenants, with its tenant.</summary>
    public async Task<IReadOnlyList<(string TenantId, SlotHolder Holder)>> FindHeldAsync(CancellationToken cancellationToken)
    {
        var all = await QueryAcrossTenantsAsync(new QueryDefinition($"SELECT * FROM c WHERE {OfKind} AND ARRAY_LENGTH(c.holders) > 0"), cancellationToken);
        return all.SelectMany(slots => slots.Holders.Select(holder => (slots.TenantId, holder))).ToList();
    }

    private IReadOnlyList<string> Dispatchable(TenantSlotsDocument slots) =>
        slots.Waiting.Take(Math.Max(0, limits.Value.MaxConcurrentSyncsPerTenant - slots.Holders.Count)).Select(w => w.TaskId).ToList();

    private static IEnumerable<SlotHolder> Live(TenantSlotsDocument slots, DateTimeOffset now) =>
        slots.Holders.Where(h => IsoTime.Parse(h.ExpiresAt) is { } expires && expires > now);

    private async Task<TenantSlotsDocument> ChangeAsync(string tenantId, Func<TenantSlotsDocument, TenantSlotsDocument> change, CancellationToken cancellationToken) =>
        (await ChangeAsync(tenantId, TenantSlotsDocument.IdFor(tenantId),
            current => change(current ?? new TenantSlotsDocument { Id = TenantSlotsDocument.IdFor(tenantId), TenantId = tenantId }), cancellationToken))!;
}
